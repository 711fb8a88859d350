using System.Text.Json;
using Billing.Infrastructure.Stripe;
using Billing.Tests.Support;
using Microsoft.Extensions.Options;
using Stripe.Checkout;

namespace Billing.Tests.Tools.StripeEmulator;

/// <summary>
/// The emulator's webhooks to a loopback receiver: what each change sends, in what shape and order, that the API's own
/// verifier accepts the signature, and that a failed delivery is retried without holding up the others.
/// </summary>
[Category("Integration")]
public sealed class WebhookDeliveryTests
{
    private const string WebhookSecret = "whsec_emulator_delivery_tests_0123456789";
    private const string Customer = "cus_webhooks";
    private const string SubscriptionCreated = "customer.subscription.created";
    private const string CheckoutCompleted = "checkout.session.completed";

    [Test]
    public async Task Pay_WebhookUrlSet_DeliversSubscriptionCreatedThenCheckoutCompleted()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var emulator = await StartEmulatorAsync(receiver.Url);

        var session = await PayAsync(emulator);

        var deliveries = await receiver.WaitForAcceptedAsync(SubscriptionCreated, CheckoutCompleted);
        Assert.Multiple(() =>
        {
            Assert.That(deliveries.Select(delivery => delivery.Type), Is.EqualTo(new[] { SubscriptionCreated, CheckoutCompleted }));
            Assert.That(DataObject(deliveries[0]).GetProperty("id").GetString(), Is.EqualTo(emulator.Store.SubscriptionsOf(Customer).Single().Id));
            Assert.That(DataObject(deliveries[1]).GetProperty("id").GetString(), Is.EqualTo(session.Id));
            Assert.That(DataObject(deliveries[1]).GetProperty("status").GetString(), Is.EqualTo("complete"));
            Assert.That(deliveries.Select(delivery => delivery.ContentType), Is.All.EqualTo("application/json; charset=utf-8"));
        });
    }

    [Test]
    public async Task Delivery_Envelope_IsShapedAsStripeSendsEventsToStripeNet53()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var emulator = await StartEmulatorAsync(receiver.Url);

        await PayAsync(emulator);

        var delivery = (await receiver.WaitForAcceptedAsync(SubscriptionCreated)).First(delivery => delivery.Type == SubscriptionCreated);
        using var envelope = JsonDocument.Parse(delivery.Body);
        var root = envelope.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(delivery.EventId, Does.StartWith("evt_"));
            Assert.That(root.GetProperty("object").GetString(), Is.EqualTo("event"));
            Assert.That(root.GetProperty("api_version").GetString(), Is.EqualTo(Stripe.StripeConfiguration.ApiVersion));
            Assert.That(root.GetProperty("created").GetInt64(), Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).Within(60));
            Assert.That(root.GetProperty("livemode").GetBoolean(), Is.False);
            Assert.That(root.GetProperty("pending_webhooks").GetInt32(), Is.EqualTo(1));
            Assert.That(root.GetProperty("request").GetProperty("id").GetString(), Does.StartWith("req_"));
            Assert.That(DataObject(delivery).GetProperty("customer").GetString(), Is.EqualTo(Customer));
        });
    }

    [Test]
    public async Task Delivery_Signature_PassesTheApisVerifier()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var emulator = await StartEmulatorAsync(receiver.Url);

        await PayAsync(emulator);

        var deliveries = await receiver.WaitForAcceptedAsync(SubscriptionCreated, CheckoutCompleted);
        Assert.That(deliveries.Select(delivery => Verifier(WebhookSecret).IsAuthentic(delivery.Body, delivery.Signature)), Is.All.True);
    }

    [Test]
    public async Task Delivery_Signature_FailsTheApisVerifierWithAnotherSecret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var emulator = await StartEmulatorAsync(receiver.Url);

        await PayAsync(emulator);

        var delivery = (await receiver.WaitForAcceptedAsync(SubscriptionCreated)).First(delivery => delivery.Type == SubscriptionCreated);
        Assert.That(Verifier("whsec_another_endpoints_secret_0123456789").IsAuthentic(delivery.Body, delivery.Signature), Is.False);
    }

    [TestCase("cancel-at-period-end", "customer.subscription.updated")]
    [TestCase("cancel-now", "customer.subscription.deleted")]
    public async Task PortalChoice_DeliversTheSubscriptionAsChanged(string choice, string eventType)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var emulator = await StartEmulatorAsync(receiver.Url);
        var subscription = emulator.Store.PutSubscription(Customer, "price_team");
        var portal = await new Stripe.BillingPortal.SessionService(emulator.CreateStripeClient()).CreateAsync(
            new Stripe.BillingPortal.SessionCreateOptions { Customer = Customer, ReturnUrl = "https://app.example.com/settings/billing" });

        using var response = await emulator.SubmitAsync($"{new Uri(portal.Url).AbsolutePath}/{choice}", ("subscription", subscription.Id));

        var delivery = (await receiver.WaitForAcceptedAsync(eventType)).Single();
        var changed = emulator.Store.FindSubscription(subscription.Id)!;
        Assert.Multiple(() =>
        {
            Assert.That(DataObject(delivery).GetProperty("id").GetString(), Is.EqualTo(subscription.Id));
            Assert.That(DataObject(delivery).GetProperty("status").GetString(), Is.EqualTo(changed.Status));
            Assert.That(DataObject(delivery).GetProperty("cancel_at_period_end").GetBoolean(), Is.EqualTo(changed.CancelAtPeriodEnd));
        });
    }

    [Test]
    public async Task Delivery_EndpointDown_IsRetriedAndArrivesOnceItIsUp()
    {
        var port = UnusedPort.Next();
        await using var emulator = await StartEmulatorAsync($"http://127.0.0.1:{port}{WebhookReceiver.Path}");
        await PayAsync(emulator);
        await emulator.WaitForLogAsync(record => record.Message.Contains("not delivered", StringComparison.Ordinal), "a failed delivery");

        await using var receiver = await WebhookReceiver.StartAsync(port);

        var deliveries = await receiver.WaitForAcceptedAsync(SubscriptionCreated, CheckoutCompleted);
        Assert.That(deliveries.Select(delivery => Verifier(WebhookSecret).IsAuthentic(delivery.Body, delivery.Signature)), Is.All.True);
    }

    [Test]
    public async Task Delivery_OneEventRefused_HoldsUpNoOtherAndIsRetriedUntilAccepted()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AnswerWith(type => type == SubscriptionCreated ? 500 : 200);
        await using var emulator = await StartEmulatorAsync(receiver.Url);

        await PayAsync(emulator);
        await receiver.WaitUntilAsync(
            received => received.Count(delivery => delivery.Type == SubscriptionCreated) >= 2 && received.Any(delivery => delivery.Type == CheckoutCompleted),
            "the refused event retried while the next one was delivered");
        receiver.AnswerWith(_ => 200);

        var deliveries = await receiver.WaitForAcceptedAsync(SubscriptionCreated);
        var created = deliveries.Where(delivery => delivery.Type == SubscriptionCreated).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(created.Select(delivery => delivery.EventId).Distinct().Count(), Is.EqualTo(1), "one event, retried");
            Assert.That(Verifier(WebhookSecret).IsAuthentic(created[^1].Body, created[^1].Signature), Is.True);
        });
    }

    private static Task<StripeEmulatorHost> StartEmulatorAsync(string webhookUrl) =>
        // Retries every 100 ms for five seconds: long enough for a test to bring its endpoint up.
        StripeEmulatorHost.StartAsync(new Dictionary<string, string?>(StripeEmulatorHost.PriceSettings(0, "price_team", "Team", 2900)
            .Concat(StripeEmulatorHost.WebhookSettings(webhookUrl, WebhookSecret, Enumerable.Repeat("00:00:00.100", 50)))));

    /// <summary>Pays a Checkout session of the customer, which starts a subscription.</summary>
    private static Task<Session> PayAsync(StripeEmulatorHost emulator)
    {
        emulator.Store.PutCustomer(Customer);
        return emulator.PayCheckoutAsync(Customer, "price_team");
    }

    private static StripeWebhookVerifier Verifier(string secret) =>
        new(Options.Create(new StripeOptions { WebhookSecrets = [secret] }), TimeProvider.System);

    private static JsonElement DataObject(ReceivedWebhook delivery)
    {
        using var envelope = JsonDocument.Parse(delivery.Body);
        return envelope.RootElement.GetProperty("data").GetProperty("object").Clone();
    }
}
