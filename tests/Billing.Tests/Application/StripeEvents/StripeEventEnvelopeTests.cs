using System.Text;
using Billing.Application.StripeEvents;
using Billing.Tests.Support;

namespace Billing.Tests.Application.StripeEvents;

public sealed class StripeEventEnvelopeTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 30, 8, 15, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ReceivedAt = new(2026, 12, 1, 12, 0, 0, 500, TimeSpan.Zero);

    [Test]
    public void TryRead_StripeEvent_ReturnsItsIdTypeCreationTimeAndTheBodyAsPayload()
    {
        var body = StripeWebhookSigner.Event("customer.subscription.updated", StripeWebhookSigner.Subscription("cus_1"), "evt_1", Created);

        var stripeEvent = StripeEventEnvelope.TryRead(Encoding.UTF8.GetBytes(body), ReceivedAt);

        Assert.That(stripeEvent, Is.EqualTo(new StripeEvent("evt_1", "customer.subscription.updated", Created, body)));
    }

    [TestCase("")]
    [TestCase("not json")]
    [TestCase("""{"id":"evt_1","type":"invoice.paid","data":{"object":{}}""")]
    public void TryRead_NotJson_ReturnsNull(string body)
    {
        Assert.That(Read(body), Is.Null);
    }

    [TestCase("[]")]
    [TestCase("""["evt_1"]""")]
    [TestCase("\"evt_1\"")]
    [TestCase("42")]
    [TestCase("null")]
    public void TryRead_NotAnObject_ReturnsNull(string body)
    {
        Assert.That(Read(body), Is.Null);
    }

    [TestCase("""{"type":"invoice.paid","data":{"object":{}}}""")]
    [TestCase("""{"id":42,"type":"invoice.paid","data":{"object":{}}}""")]
    [TestCase("""{"id":null,"type":"invoice.paid","data":{"object":{}}}""")]
    [TestCase("""{"id":"","type":"invoice.paid","data":{"object":{}}}""")]
    public void TryRead_IdMissingEmptyOrNotAString_ReturnsNull(string body)
    {
        Assert.That(Read(body), Is.Null);
    }

    [TestCase("""{"id":"evt_1","data":{"object":{}}}""")]
    [TestCase("""{"id":"evt_1","type":{"name":"invoice.paid"},"data":{"object":{}}}""")]
    [TestCase("""{"id":"evt_1","type":"","data":{"object":{}}}""")]
    public void TryRead_TypeMissingEmptyOrNotAString_ReturnsNull(string body)
    {
        Assert.That(Read(body), Is.Null);
    }

    [TestCase("""{"id":"evt_1","type":"invoice.paid"}""")]
    [TestCase("""{"id":"evt_1","type":"invoice.paid","data":[{"object":{}}]}""")]
    [TestCase("""{"id":"evt_1","type":"invoice.paid","data":"in_1"}""")]
    public void TryRead_DataMissingOrNotAnObject_ReturnsNull(string body)
    {
        Assert.That(Read(body), Is.Null);
    }

    [TestCase("""{"id":"evt_1","type":"invoice.paid","data":{}}""")]
    [TestCase("""{"id":"evt_1","type":"invoice.paid","data":{"object":"in_1"}}""")]
    [TestCase("""{"id":"evt_1","type":"invoice.paid","data":{"object":[]}}""")]
    public void TryRead_DataObjectMissingOrNotAnObject_ReturnsNull(string body)
    {
        Assert.That(Read(body), Is.Null);
    }

    [Test]
    public void TryRead_CreatedMissing_TakesTheTimeItWasReceived()
    {
        var stripeEvent = Read("""{"id":"evt_1","type":"invoice.paid","data":{"object":{}}}""");

        Assert.That(stripeEvent?.Created, Is.EqualTo(ReceivedAt));
    }

    [TestCase("\"1764576900\"")]
    [TestCase("null")]
    public void TryRead_CreatedNotANumber_TakesTheTimeItWasReceived(string created)
    {
        var stripeEvent = Read("""{"id":"evt_1","type":"invoice.paid","created":""" + created + ""","data":{"object":{}}}""");

        Assert.That(stripeEvent?.Created, Is.EqualTo(ReceivedAt));
    }

    [Test]
    public void TryRead_CreatedNotWholeSeconds_TakesTheTimeItWasReceived()
    {
        var stripeEvent = Read("""{"id":"evt_1","type":"invoice.paid","created":1764576900.5,"data":{"object":{}}}""");

        Assert.That(stripeEvent?.Created, Is.EqualTo(ReceivedAt));
    }

    [Test]
    public void TryRead_CreatedPresent_TakesThatTime()
    {
        var stripeEvent = Read(StripeWebhookSigner.Event("invoice.paid", new { id = "in_1" }, "evt_1", Created));

        Assert.That(stripeEvent?.Created, Is.EqualTo(Created));
    }

    [Test]
    public void TryRead_CreatedBeyondTheCalendar_ReturnsNull()
    {
        Assert.That(Read("""{"id":"evt_1","type":"invoice.paid","created":999999999999999,"data":{"object":{}}}"""), Is.Null);
    }

    private static StripeEvent? Read(string body) => StripeEventEnvelope.TryRead(Encoding.UTF8.GetBytes(body), ReceivedAt);
}
