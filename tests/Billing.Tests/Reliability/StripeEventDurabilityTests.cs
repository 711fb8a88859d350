using System.Globalization;
using System.Net;
using Billing.Infrastructure.Persistence;
using Billing.Tests.EndToEnd;
using Billing.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Billing.Tests.Reliability;

/// <summary>
/// The inbox as deployed: API processes on one database. An event the API answered 200 for survives the process
/// that stored it, and with two processes working the same inbox every event is processed exactly once.
/// </summary>
[Category("Integration")]
public sealed class StripeEventDurabilityTests
{
    private const int Tenants = 20;
    private const int EventsPerTenant = 10;

    private static readonly DateTimeOffset Base = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);

    private readonly List<ApiProcess> processes = [];
    private string connectionString = null!;
    private StripeFake stripe = null!;

    [OneTimeSetUp]
    public async Task StartDependencies()
    {
        connectionString = await PostgresServer.CreateDatabaseAsync();
        // Migrated up front, as a deployment's first instance would have, so that tenants can be seeded before any API runs.
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
        }

        stripe = await StripeFake.StartAsync();
    }

    [SetUp]
    public void ResetStripe() => stripe.Reset();

    [TearDown]
    public async Task StopApiProcesses()
    {
        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }

        processes.Clear();
    }

    [OneTimeTearDown]
    public async Task StopDependencies()
    {
        await stripe.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(connectionString);
    }

    [Test]
    public async Task Restart_ProcessKilledWhileSyncingAStoredEvent_TheNextProcessProcessesIt()
    {
        var (tenant, customer, subscription) = await SeededCustomerAsync();
        stripe.HangSubscriptionLists();
        // Stripe's answer must not time out before the kill: the first process dies in the middle of the sync.
        var first = await StartApiAsync(stripeTimeoutSeconds: 60);
        var eventId = await DeliverAsync(first, SubscriptionEvent(customer));
        await stripe.WaitForSubscriptionListsAsync(customer, 1);

        await KillAsync(first);
        // The dead process's claim is a lease that would end a minute later; end it now rather than wait.
        await StripeEventRows.EndLeaseAsync(connectionString, eventId);
        stripe.Reset();
        stripe.SetSubscriptions(customer, subscription);
        await StartApiAsync();

        var stored = await StripeEventRows.WaitForStateAsync(connectionString, eventId, StripeEventTestBase.Done);
        Assert.Multiple(async () =>
        {
            Assert.That(stored.State, Is.EqualTo("processed"));
            Assert.That(stored.Attempts, Is.EqualTo(2), "the killed attempt and the one after the restart");
            Assert.That((await TenantBilling.ReadAsync(connectionString, tenant))?.SubscriptionId, Is.EqualTo(subscription.Id));
        });
    }

    [Test]
    public async Task Startup_EventStoredButNeverClaimedBeforeACrash_IsProcessed()
    {
        var (tenant, customer, subscription) = await SeededCustomerAsync();
        var body = SubscriptionEvent(customer);
        var eventId = StripeEventTestBase.IdOf(body);
        await StripeEventRows.InsertPendingAsync(connectionString, eventId, "customer.subscription.updated", Base, body);

        await StartApiAsync();

        var stored = await StripeEventRows.WaitForStateAsync(connectionString, eventId, StripeEventTestBase.Done);
        Assert.Multiple(async () =>
        {
            Assert.That(stored.State, Is.EqualTo("processed"));
            Assert.That(stored.Attempts, Is.EqualTo(1));
            Assert.That(stripe.SubscriptionListCalls(customer), Is.EqualTo(1));
            Assert.That((await TenantBilling.ReadAsync(connectionString, tenant))?.SubscriptionId, Is.EqualTo(subscription.Id));
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
            async () => (await StripeEventRows.ReadAllAsync(connectionString)).Where(row => eventIds.Contains(row.Id)).ToArray(),
            rows => rows.Length == events.Length && rows.All(row => row.State != "pending"),
            $"all {events.Length} events to be done with",
            TimeSpan.FromSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That(statuses, Has.All.EqualTo(HttpStatusCode.OK));
            Assert.That(stored.Where(row => row.State != "processed" || row.Attempts != 1), Is.Empty, "every event processed at its first attempt");
            Assert.That(customers.Select(stripe.SubscriptionListCalls), Has.All.EqualTo(EventsPerTenant), "one subscription list per event");
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

    private async Task<ApiProcess> StartApiAsync(int stripeTimeoutSeconds = 2)
    {
        var settings = new Dictionary<string, string?>(StripeEventTestBase.WebhookSettings)
        {
            ["Stripe:TimeoutSeconds"] = stripeTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            // Every attempt here must succeed; a retry would show as a second attempt, not hide behind a dead event.
            ["Stripe:WebhookMaxAttempts"] = "10",
            // Debug lines for hundreds of events would only slow two processes on a small machine.
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Npgsql"] = "Warning",
        };
        var api = await ApiProcess.StartAsync(BillingApiFactory.Settings(connectionString, stripe.BaseUrl, settings));
        lock (processes)
        {
            processes.Add(api);
        }

        return api;
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash or an OOM kill would end it.</summary>
    private async Task KillAsync(ApiProcess api)
    {
        lock (processes)
        {
            processes.Remove(api);
        }

        await api.DisposeAsync();
    }

    private async Task<(Guid Tenant, string Customer, FakeSubscription Subscription)> SeededCustomerAsync()
    {
        var tenant = Guid.NewGuid();
        var customer = StripeEventTestBase.NewCustomerId();
        var subscription = StripeEventTestBase.NewSubscription("active", Base);
        await TenantSeeder.UpsertAsync(connectionString, tenant, customer);
        stripe.SetSubscriptions(customer, subscription);
        return (tenant, customer, subscription);
    }
}
