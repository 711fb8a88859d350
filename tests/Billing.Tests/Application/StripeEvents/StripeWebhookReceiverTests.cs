using System.Diagnostics.Metrics;
using System.Text;
using Billing.Application.Common.Exceptions;
using Billing.Application.Common.Metrics;
using Billing.Application.StripeEvents;
using Billing.Tests.Support;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Moq;

namespace Billing.Tests.Application.StripeEvents;

public sealed class StripeWebhookReceiverTests
{
    private const string Type = "customer.subscription.updated";
    private const string Signature = "t=1764590400,v1=abc";
    private static readonly DateTimeOffset Created = new(2026, 12, 1, 11, 59, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly string EventBody = StripeWebhookSigner.Event(Type, StripeWebhookSigner.Subscription("cus_1"), "evt_1", Created);

    private FakeVerifier verifier = null!;
    private Mock<IStripeEventInbox> inbox = null!;
    private StripeEventArrivals arrivals = null!;
    private IMeterFactory meterFactory = null!;
    private MetricCollector<long> received = null!;

    [SetUp]
    public void SetUp()
    {
        verifier = new FakeVerifier();
        inbox = new Mock<IStripeEventInbox>(MockBehavior.Strict);
        arrivals = new StripeEventArrivals();
        meterFactory = ApplicationFixtures.MeterFactory();
        received = new MetricCollector<long>(meterFactory, BillingMetrics.MeterName, BillingMetrics.StripeEventsReceivedName);
    }

    [TearDown]
    public void TearDown()
    {
        received.Dispose();
        meterFactory.Dispose();
        arrivals.Dispose();
    }

    [Test]
    public async Task ReceiveAsync_WebhooksDisabled_ThrowsDisabledAndStoresNothing()
    {
        verifier.IsEnabled = false;

        await Assert.ThrowsAsync<StripeWebhooksDisabledException>(() => ReceiveAsync(EventBody));

        inbox.VerifyNoOtherCalls();
    }

    [Test]
    public async Task ReceiveAsync_Always_VerifiesTheBytesAndTheHeaderAsReceived()
    {
        GivenInboxAnswers(isNew: true);
        var body = Encoding.UTF8.GetBytes(EventBody);

        await Receiver().ReceiveAsync(body, Signature, CancellationToken.None);

        Assert.That((verifier.Body, verifier.SignatureHeader), Is.EqualTo((body, Signature)));
    }

    [Test]
    public async Task ReceiveAsync_SignatureDoesNotVerify_ThrowsInvalidSignatureAndStoresNothing()
    {
        verifier.IsAuthenticAnswer = false;

        await Assert.ThrowsAsync<InvalidStripeSignatureException>(() => ReceiveAsync(EventBody));

        inbox.VerifyNoOtherCalls();
    }

    [Test]
    public async Task ReceiveAsync_SignatureDoesNotVerify_CountsAnInvalidSignatureOfUnknownType()
    {
        verifier.IsAuthenticAnswer = false;

        await Assert.CatchAsync(() => ReceiveAsync(EventBody));

        Assert.That(OnlyCount(), Is.EquivalentTo(Tags("unknown", "invalid_signature")));
    }

    [Test]
    public async Task ReceiveAsync_SignedButNotAnEvent_ThrowsInvalidEventAndStoresNothing()
    {
        await Assert.ThrowsAsync<InvalidStripeEventException>(() => ReceiveAsync("""{"id":"evt_1"}"""));

        inbox.VerifyNoOtherCalls();
    }

    [Test]
    public async Task ReceiveAsync_SignedButNotAnEvent_CountsAnInvalidEventOfUnknownType()
    {
        await Assert.CatchAsync(() => ReceiveAsync("""{"id":"evt_1"}"""));

        Assert.That(OnlyCount(), Is.EquivalentTo(Tags("unknown", "invalid_event")));
    }

    [Test]
    public async Task ReceiveAsync_NewEvent_StoresItAsReceived()
    {
        GivenInboxAnswers(isNew: true);

        await ReceiveAsync(EventBody);

        inbox.Verify(i => i.AddAsync(new StripeEvent("evt_1", Type, Created, EventBody), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task ReceiveAsync_NewEventWithoutCreationTime_StoresItAsCreatedWhenReceived()
    {
        GivenInboxAnswers(isNew: true);

        await ReceiveAsync("""{"id":"evt_2","type":"invoice.paid","data":{"object":{}}}""");

        inbox.Verify(i => i.AddAsync(It.Is<StripeEvent>(e => e.Id == "evt_2" && e.Created == Now), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task ReceiveAsync_NewEvent_CountsItStoredWithItsType()
    {
        GivenInboxAnswers(isNew: true);

        await ReceiveAsync(EventBody);

        Assert.That(OnlyCount(), Is.EquivalentTo(Tags(Type, "stored")));
    }

    [Test]
    public async Task ReceiveAsync_NewEvent_WakesTheEventWorker()
    {
        GivenInboxAnswers(isNew: true);

        await ReceiveAsync(EventBody);

        Assert.That(ApplicationFixtures.WakesAWaitAtOnce(arrivals), Is.True);
    }

    [Test]
    public async Task ReceiveAsync_Duplicate_CountsItDuplicateWithItsType()
    {
        GivenInboxAnswers(isNew: false);

        await ReceiveAsync(EventBody);

        Assert.That(OnlyCount(), Is.EquivalentTo(Tags(Type, "duplicate")));
    }

    [Test]
    public async Task ReceiveAsync_Duplicate_DoesNotWakeTheEventWorker()
    {
        GivenInboxAnswers(isNew: false);

        await ReceiveAsync(EventBody);

        Assert.That(ApplicationFixtures.WakesAWaitAtOnce(arrivals), Is.False);
    }

    private StripeWebhookReceiver Receiver() =>
        new(verifier, inbox.Object, arrivals, new BillingMetrics(meterFactory), new ManualTimeProvider(Now));

    private Task ReceiveAsync(string body) => Receiver().ReceiveAsync(Encoding.UTF8.GetBytes(body), Signature, CancellationToken.None);

    private void GivenInboxAnswers(bool isNew) =>
        inbox.Setup(i => i.AddAsync(It.IsAny<StripeEvent>(), It.IsAny<CancellationToken>())).ReturnsAsync(isNew);

    private IReadOnlyDictionary<string, object?> OnlyCount()
    {
        var measurement = received.GetMeasurementSnapshot().Single();
        Assert.That(measurement.Value, Is.EqualTo(1));
        return measurement.Tags;
    }

    private static Dictionary<string, object?> Tags(string eventType, string result) => new() { ["event.type"] = eventType, ["result"] = result };

    /// <summary>A verifier that answers as told and keeps what it was asked about (a span cannot be matched by Moq).</summary>
    private sealed class FakeVerifier : IStripeWebhookVerifier
    {
        public bool IsEnabled { get; set; } = true;

        public bool IsAuthenticAnswer { get; set; } = true;

        public byte[]? Body { get; private set; }

        public string? SignatureHeader { get; private set; }

        public bool IsAuthentic(ReadOnlySpan<byte> body, string? signatureHeader)
        {
            Body = body.ToArray();
            SignatureHeader = signatureHeader;
            return IsAuthenticAnswer;
        }
    }
}
