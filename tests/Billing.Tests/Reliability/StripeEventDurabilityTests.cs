using System.Globalization;
using System.Net;
using Billing.Tests.EndToEnd;
using Billing.Tests.Support;

namespace Billing.Tests.Reliability;

/// <summary>
/// The inbox as deployed: API processes on one database. An event the API answered 200 for survives the process
/// that stored it, and with two processes working the same inbox every event is processed exactly once.
/// </summary>
public sealed class StripeEventDurabilityTests : ApiProcessesTestBase
{
    private const int Tenants = 20;
    private const int EventsPerTenant = 10;

    private static readonly DateTimeOffset Base = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);

    [Test]
    public async Task Restart_ProcessKilledWhileSyncingAStoredEvent_TheNextProcessProcessesIt()
    {
        var (tenant, customer, subscription) = await SeededCustomerAsync();
        Stripe.HangSubscriptionLists();
        // Stripe's answer must not time out before the kill: the first process dies in the middle of the sync.
        var first = await StartApiAsync(stripeTimeoutSeconds: 60);
        var eventId = await DeliverAsync(first, SubscriptionEvent(customer));
        await Stripe.WaitForSubscriptionListsAsync(customer, 1);

        await KillAsync(first);
        // The dead process's claim is a lease that would end a minute later; end it now rather than wait.
        await StripeEventRows.EndLeaseAsync(ConnectionString, eventId);
        Stripe.Reset();
        Stripe.SetSubscriptions(customer, subscription);
        await StartApiAsync();

        var stored = await StripeEventRows.WaitForStateAsync(ConnectionString, eventId, StripeEventTestBase.Done);
        Assert.Multiple(async () =>
        {
            Assert.That(stored.State, Is.EqualTo("processed"));
            Assert.That(stored.Attempts, Is.EqualTo(2), "the killed attempt and the one after the restart");
            Assert.That((await TenantBilling.ReadAsync(ConnectionString, tenant))?.SubscriptionId, Is.EqualTo(subscription.Id));
        });
    }

    [Test]
    public async Task Startup_EventStoredButNeverClaimedBeforeACrash_IsProcessed()
    {
        var (tenant, customer, subscription) = await SeededCustomerAsync();
        var body = SubscriptionEvent(customer);
        var eventId = StripeEventTestBase.IdOf(body);
        await StripeEventRows.InsertPendingAsync(ConnectionString, eventId, "customer.subscription.updated", Base, body);

        await StartApiAsync();

        var stored = await StripeEventRows.WaitForStateAsync(ConnectionString, eventId, StripeEventTestBase.Done);
        Assert.Multiple(async () =>
        {
            Assert.That(stored.State, Is.EqualTo("processed"));
            Assert.That(stored.Attempts, Is.EqualTo(1));
            Assert.That(Stripe.SubscriptionListCalls(customer), Is.EqualTo(1));
            Assert.That((await TenantBilling.ReadAsync(ConnectionString, tenant))?.SubscriptionId, Is.EqualTo(subscription.Id));
        });
    }

    [Test]
    public async Task TwoProcesses_TwoHundredEventsPostedAlternately_EachIsProcessedExactlyOnce()
    {
        var customers = new List<string>();
        for (var i = 0; i < Tenants; i++)
        {
            customers.Add((await SeededCustomerAsync()).Customer);
        }

        var apis = await Task.WhenAll(StartApiAsync(), StartApiAsync());
        var events = Enumerable.Range(0, Tenants * EventsPerTenant).Select(n => SubscriptionEvent(customers[n % Tenants])).ToArray();
        var eventIds = events.Select(StripeEventTestBase.IdOf).ToHashSet();

        var statuses = new HttpStatusCode[events.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, events.Length), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (n, _) => statuses[n] = await PostAsync(apis[n % 2], events[n]));

        var stored = await Eventually.ReadUntilAsync(
            async () => (await StripeEventRows.ReadAllAsync(ConnectionString)).Where(row => eventIds.Contains(row.Id)).ToArray(),
            rows => rows.Length == events.Length && rows.All(row => row.State != "pending"),
            $"all {events.Length} events to be done with",
            TimeSpan.FromSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That(statuses, Has.All.EqualTo(HttpStatusCode.OK));
            Assert.That(stored.Where(row => row.State != "processed" || row.Attempts != 1), Is.Empty, "every event processed at its first attempt");
            Assert.That(customers.Select(Stripe.SubscriptionListCalls), Has.All.EqualTo(EventsPerTenant), "one subscription list per event");
        });
    }

    private static string SubscriptionEvent(string customer) =>
        StripeWebhookSigner.Event("customer.subscription.updated", StripeWebhookSigner.Subscription(customer), created: Base);

    private static async Task<HttpStatusCode> PostAsync(ApiProcess api, string body)
    {
        using var client = new HttpClient { BaseAddress = api.BaseAddress };
        using var request = StripeWebhookSigner.Request(body, StripeWebhookSigner.Sign(body, StripeEventTestBase.WebhookSecret));
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<string> DeliverAsync(ApiProcess api, string body)
    {
        Assert.That(await PostAsync(api, body), Is.EqualTo(HttpStatusCode.OK));
        return StripeEventTestBase.IdOf(body);
    }

    private Task<ApiProcess> StartApiAsync(int stripeTimeoutSeconds = 2) => StartApiAsync(new Dictionary<string, string?>(StripeEventTestBase.WebhookSettings)
    {
        ["Stripe:TimeoutSeconds"] = stripeTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        // Every attempt here must succeed; a retry would show as a second attempt, not hide behind a dead event.
        ["Stripe:WebhookMaxAttempts"] = "10",
    });

    private async Task<(Guid Tenant, string Customer, FakeSubscription Subscription)> SeededCustomerAsync()
    {
        var tenant = Guid.NewGuid();
        var customer = StripeEventTestBase.NewCustomerId();
        var subscription = StripeEventTestBase.NewSubscription("active", Base);
        await TenantSeeder.UpsertAsync(ConnectionString, tenant, customer);
        Stripe.SetSubscriptions(customer, subscription);
        return (tenant, customer, subscription);
    }
}
