using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Billing.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Billing.Tests.EndToEnd;

/// <summary>
/// <c>POST /api/stripe/webhooks</c> on real Kestrel (so that body limits behave as deployed): what it accepts, what
/// it refuses and with which answer, that a refused body is neither stored nor logged, and that a delivery repeated
/// in any way is stored and synced once.
/// </summary>
public sealed class StripeWebhookEndpointTests : StripeEventTestBase
{
    private const int OneMegabyte = 1024 * 1024;
    private const int ToleranceSeconds = 300;

    protected override bool ListensOnKestrel => true;

    [Test]
    public async Task Post_ValidSignature_Returns200ReceivedAndStoresTheEventBeforeAnswering()
    {
        var created = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);
        var body = StripeWebhookSigner.Event("product.updated", new { id = "prod_stored", @object = "product" }, created: created);

        using var response = await PostEventAsync(body, StripeWebhookSigner.Sign(body, WebhookSecret));

        var stored = await StripeEventRows.FindAsync(ConnectionString, IdOf(body));
        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"received":true}"""));
            Assert.That(stored?.Type, Is.EqualTo("product.updated"));
            Assert.That(stored?.CreatedAt, Is.EqualTo(created), "created_at is the event's created");
        });
    }

    [TestCase(WebhookSecret)]
    [TestCase(RotatedWebhookSecret)]
    public async Task Post_SignedWithEitherConfiguredSecret_Returns200(string secret)
    {
        var body = UnknownCustomerEvent();

        using var response = await PostEventAsync(body, StripeWebhookSigner.Sign(body, secret));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Post_SeveralV1SignaturesOfWhichOneMatches_Returns200()
    {
        var body = UnknownCustomerEvent();
        var t = StripeWebhookSigner.UnixTime(DateTimeOffset.UtcNow);

        using var response = await PostEventAsync(body,
            $"t={t},v1={StripeWebhookSigner.V1(body, "whsec_an_expired_secret", t)},v1={StripeWebhookSigner.V1(body, WebhookSecret, t)}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase(-(ToleranceSeconds - 60))]
    [TestCase(ToleranceSeconds - 60)]
    public async Task Post_TimestampWithinTheTolerance_Returns200(int offsetSeconds)
    {
        var body = UnknownCustomerEvent();

        using var response = await PostEventAsync(body, StripeWebhookSigner.Sign(body, WebhookSecret, DateTimeOffset.UtcNow.AddSeconds(offsetSeconds)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("missing")]
    [TestCase("empty")]
    [TestCase("malformed")]
    [TestCase("without timestamp")]
    [TestCase("v0 only")]
    [TestCase("wrong secret")]
    [TestCase("body altered after signing")]
    [TestCase("signed over the body alone")]
    [TestCase("signed at another time")]
    [TestCase("timestamp too old")]
    [TestCase("timestamp too far in the future")]
    public async Task Post_InvalidSignature_Returns400InvalidSignatureAndStoresNothing(string fault)
    {
        var signed = UnknownCustomerEvent();
        var (sent, header) = Tamper(fault, signed);

        using var response = await PostEventAsync(sent, header);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "Invalid signature");
        Assert.That(await StripeEventRows.FindAsync(ConnectionString, IdOf(signed)), Is.Null);
    }

    [Test]
    public async Task Post_InvalidSignature_LogsNoPartOfTheBody()
    {
        var canary = $"canary_{Guid.NewGuid():N}";
        var body = StripeWebhookSigner.Event("customer.subscription.updated", StripeWebhookSigner.Subscription(canary));

        using var response = await PostEventAsync(body, StripeWebhookSigner.Sign(body, "whsec_not_configured"));

        var traceId = ProblemBody.Parse(await response.Content.ReadAsStringAsync()).TraceId!.Split('-')[1];
        // Routing logs this line once the endpoint, and everything in it that could log the body, is done with this request.
        await WaitForLogAsync(record => record.Message.StartsWith("Executed endpoint", StringComparison.Ordinal) && Mentions(record, traceId));
        Assert.That(Factory.Logs.GetSnapshot().Where(record => Mentions(record, canary)), Is.Empty);
    }

    [TestCase("{}")]
    [TestCase("[]")]
    [TestCase("not json")]
    [TestCase("""{"id":"evt_no_data","object":"event","type":"customer.subscription.updated"}""")]
    [TestCase("""{"id":"evt_no_data_object","object":"event","type":"customer.subscription.updated","data":{}}""")]
    [TestCase("""{"object":"event","type":"customer.subscription.updated","data":{"object":{"customer":"cus_x"}}}""")]
    [TestCase("""{"id":"evt_no_type","object":"event","data":{"object":{"customer":"cus_x"}}}""")]
    public async Task Post_SignedButNotAnEvent_Returns400InvalidEventAndStoresNothing(string body)
    {
        var storedBefore = await StripeEventRows.CountAsync(ConnectionString);

        using var response = await PostEventAsync(body, StripeWebhookSigner.Sign(body, WebhookSecret));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "Invalid event");
        Assert.That(await StripeEventRows.CountAsync(ConnectionString), Is.EqualTo(storedBefore));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Post_SignedBodyOverOneMegabyte_Returns413ContentTooLarge(bool chunked)
    {
        var body = EventOfLength(OneMegabyte + 1);

        using var response = await SendBytesAsync(body, chunked);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "Content Too Large");
        Assert.That(await StripeEventRows.FindAsync(ConnectionString, IdOf(body)), Is.Null);
    }

    [Test]
    public async Task Post_SignedBodyOfExactlyOneMegabyte_Returns200()
    {
        using var response = await SendBytesAsync(EventOfLength(OneMegabyte), chunked: false);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Post_EventOfAnotherApiVersion_Returns200AndStoresIt()
    {
        var body = StripeWebhookSigner.Event("customer.subscription.updated", StripeWebhookSigner.Subscription(NewCustomerId()), apiVersion: "2025-03-31.basil");

        using var response = await PostEventAsync(body, StripeWebhookSigner.Sign(body, WebhookSecret));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await StripeEventRows.FindAsync(ConnectionString, IdOf(body)), Is.Not.Null);
        });
    }

    [TestCase("in sequence")]
    [TestCase("concurrently")]
    [TestCase("after it was processed")]
    public async Task Post_SameEventDeliveredFiveTimes_StoresOneRowAndSyncsOnce(string how)
    {
        var (_, customer) = await SeededCustomerAsync(NewSubscription("active", DateTimeOffset.FromUnixTimeSeconds(1_790_000_000)));
        var body = StripeWebhookSigner.Event("customer.subscription.updated", StripeWebhookSigner.Subscription(customer));

        var statuses = await DeliverFiveTimesAsync(body, how);

        var stored = await WaitForEventAsync(IdOf(body), Done);
        var rows = (await StripeEventRows.ReadAllAsync(ConnectionString)).Where(row => row.Id == IdOf(body));
        Assert.Multiple(() =>
        {
            Assert.That(statuses, Has.Count.EqualTo(5).And.All.EqualTo(HttpStatusCode.OK));
            Assert.That(rows.Count(), Is.EqualTo(1));
            Assert.That(stored.State, Is.EqualTo("processed"));
            Assert.That(stored.Attempts, Is.EqualTo(1));
            Assert.That(Stripe.SubscriptionListCalls(customer), Is.EqualTo(1), "one sync");
        });
    }

    [Test]
    public async Task Preflight_FromTheSpaOrigin_GetsNoCorsHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, StripeWebhookSigner.WebhookPath);
        request.Headers.Add("Origin", BillingApiFactory.PublicUrl);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,stripe-signature");

        using var response = await Client.SendAsync(request);

        Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    [Test]
    public async Task Post_NoWebhookSecretConfigured_Returns404NotFoundAndStoresNothing()
    {
        await using var webhooksOff = BillingApiFactory.Create(ConnectionString, Stripe.BaseUrl);
        using var client = webhooksOff.CreateClient();
        var body = UnknownCustomerEvent();
        using var request = StripeWebhookSigner.Request(body, StripeWebhookSigner.Sign(body, WebhookSecret));

        using var response = await client.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "Not Found");
        Assert.That(await StripeEventRows.FindAsync(ConnectionString, IdOf(body)), Is.Null);
    }

    [Test]
    public async Task Startup_NoWebhookSecretConfigured_LogsAWarningThatWebhooksAreOff()
    {
        await using var webhooksOff = BillingApiFactory.Create(ConnectionString, Stripe.BaseUrl);

        using var client = webhooksOff.CreateClient();

        Assert.That(webhooksOff.Logs.GetSnapshot().Where(record =>
            record.Level == LogLevel.Warning && record.Message.Contains("Stripe webhooks are off", StringComparison.Ordinal)),
            Has.Exactly(1).Items);
    }

    /// <summary>An event about a customer of no tenant: it can be stored, and whatever happens to it later touches no tenant.</summary>
    private static string UnknownCustomerEvent() =>
        StripeWebhookSigner.Event("customer.subscription.updated", StripeWebhookSigner.Subscription(NewCustomerId()));

    private static (string Body, string? Header) Tamper(string fault, string body)
    {
        var now = DateTimeOffset.UtcNow;
        var t = StripeWebhookSigner.UnixTime(now);
        var v1 = StripeWebhookSigner.V1(body, WebhookSecret, t);
        return fault switch
        {
            "missing" => (body, null),
            "empty" => (body, string.Empty),
            "malformed" => (body, "this is not a signature"),
            "without timestamp" => (body, $"v1={v1}"),
            "v0 only" => (body, $"t={t},v0={v1}"),
            "wrong secret" => (body, StripeWebhookSigner.Sign(body, "whsec_not_configured")),
            "body altered after signing" => (body.Replace("\"status\":\"incomplete\"", "\"status\":\"active\"", StringComparison.Ordinal),
                StripeWebhookSigner.Sign(body, WebhookSecret)),
            "signed over the body alone" => (body, $"t={t},v1={StripeWebhookSigner.Hmac(WebhookSecret, body)}"),
            "signed at another time" => (body, $"t={t},v1={StripeWebhookSigner.V1(body, WebhookSecret, StripeWebhookSigner.UnixTime(now.AddSeconds(-1)))}"),
            "timestamp too old" => (body, StripeWebhookSigner.Sign(body, WebhookSecret, now.AddSeconds(-(ToleranceSeconds + 60)))),
            "timestamp too far in the future" => (body, StripeWebhookSigner.Sign(body, WebhookSecret, now.AddSeconds(ToleranceSeconds + 60))),
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, "No such fault."),
        };
    }

    /// <summary>A valid event of an ignored type whose UTF-8 body is exactly <paramref name="length"/> bytes.</summary>
    private static string EventOfLength(int length)
    {
        var id = StripeWebhookSigner.NewEventId();
        string Padded(int padding) =>
            StripeWebhookSigner.Event("product.updated", new { id = "prod_large", @object = "product", description = new string('a', padding) }, id: id);
        return Padded(length - Padded(0).Length);
    }

    private async Task<HttpResponseMessage> SendBytesAsync(string body, bool chunked)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, StripeWebhookSigner.WebhookPath);
        // A stream of unknown length goes out chunked, so the server cannot refuse it by its Content-Length.
        request.Content = chunked ? new StreamContent(new MemoryStream(bytes)) : new ByteArrayContent(bytes);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = chunked;
        request.Headers.TryAddWithoutValidation(StripeWebhookSigner.SignatureHeader, StripeWebhookSigner.Sign(body, WebhookSecret));
        return await Client.SendAsync(request);
    }

    private async Task<IReadOnlyList<HttpStatusCode>> DeliverFiveTimesAsync(string body, string how)
    {
        async Task<HttpStatusCode> DeliverOnceAsync()
        {
            using var response = await PostEventAsync(body, StripeWebhookSigner.Sign(body, WebhookSecret));
            return response.StatusCode;
        }

        switch (how)
        {
            case "concurrently":
                return await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => DeliverOnceAsync()));
            case "after it was processed":
                var first = await DeliverOnceAsync();
                await WaitForEventAsync(IdOf(body), Processed);
                return [first, .. await DeliverInSequenceAsync(4)];
            default:
                return await DeliverInSequenceAsync(5);
        }

        async Task<IReadOnlyList<HttpStatusCode>> DeliverInSequenceAsync(int times)
        {
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < times; i++)
            {
                statuses.Add(await DeliverOnceAsync());
            }

            return statuses;
        }
    }
}
