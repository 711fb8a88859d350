using Billing.Tests.EndToEnd;
using Billing.Tests.Support;

namespace Billing.Tests.Tools.StripeEmulator;

/// <summary>
/// The emulator in front of the real API (real Kestrel, real PostgreSQL), each the other's only Stripe: the emulator's
/// webhook signatures pass the API's verification, and a wrong secret is refused by the API.
/// </summary>
[Category("Integration")]
public sealed class EmulatorWithApiTests
{
    private string connectionString = null!;
    private BillingApiFactory api = null!;
    private string webhookUrl = null!;
    private StripeEmulatorHost emulator = null!;

    [OneTimeSetUp]
    public async Task StartApiAndEmulator()
    {
        connectionString = await PostgresServer.CreateDatabaseAsync();
        // Each needs the other's address before it starts: the emulator's port is chosen first.
        var emulatorPort = UnusedPort.Next();
        api = BillingApiFactory.Create(connectionString, $"http://127.0.0.1:{emulatorPort}", StripeEventTestBase.WebhookSettings);
        webhookUrl = new Uri(api.StartOnLoopbackKestrel(), StripeWebhookSigner.WebhookPath).ToString();
        emulator = await StartEmulatorAsync(StripeEventTestBase.WebhookSecret, emulatorPort);
    }

    [OneTimeTearDown]
    public async Task StopApiAndEmulator()
    {
        await emulator.DisposeAsync();
        await api.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(connectionString);
    }

    [Test]
    public async Task CheckoutPaid_EventsSignedWithTheApisSecret_PassItsVerificationAndSyncTheTenantFromTheEmulator()
    {
        var tenant = Guid.NewGuid();
        var customer = NewCustomerId();
        await TenantSeeder.UpsertAsync(connectionString, tenant, customer);
        emulator.Store.PutCustomer(customer);

        await emulator.PayCheckoutAsync(customer, "price_team", clientReferenceId: tenant.ToString());

        var billing = await Eventually.ReadUntilAsync(
            () => TenantBilling.ReadAsync(connectionString, tenant), stored => stored?.Status == "active", "the tenant synced as active", TimeSpan.FromSeconds(20));
        Assert.That((billing!.SubscriptionId, billing.PriceId), Is.EqualTo((emulator.Store.SubscriptionsOf(customer).Single().Id, "price_team")));
    }

    [Test]
    public async Task Event_SignedWithAnotherSecret_IsRefusedByTheApiAndNotStored()
    {
        await using var misconfigured = await StartEmulatorAsync("whsec_not_the_apis_secret_0123456789abcdef");
        var customer = NewCustomerId();
        misconfigured.Store.PutCustomer(customer);

        await misconfigured.PayCheckoutAsync(customer, "price_team");

        var refused = await misconfigured.WaitForLogAsync(
            record => record.Message.Contains("attempt 1: answered 400", StringComparison.Ordinal), "the API refusing a delivery");
        var eventId = refused.StructuredState!.Single(property => property.Key == "EventId").Value!;
        Assert.That(await StripeEventRows.FindAsync(connectionString, eventId), Is.Null);
    }

    private Task<StripeEmulatorHost> StartEmulatorAsync(string webhookSecret, int port = 0) =>
        StripeEmulatorHost.StartAsync(
            new Dictionary<string, string?>(StripeEmulatorHost.PriceSettings(0, "price_team", "Team", 2900)
                .Concat(StripeEmulatorHost.WebhookSettings(webhookUrl, webhookSecret, ["00:00:00.500"]))),
            port);

    private static string NewCustomerId() => $"cus_emulated_{Guid.NewGuid():N}";
}
