using Billing.Tests.Support;

namespace Billing.Tests.EndToEnd;

/// <summary>
/// One running API per fixture: its own database on the test run's PostgreSQL (migrated at start-up), its own
/// Stripe fake, and an HTTP client. The fake is reset before every test.
/// </summary>
public abstract class EndToEndTestBase
{
    private bool ownsDatabase;

    protected string ConnectionString { get; private set; } = null!;

    internal StripeFake Stripe { get; private set; } = null!;

    internal BillingApiFactory Factory { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    /// <summary>Settings that differ from a working deployment's.</summary>
    protected virtual IReadOnlyDictionary<string, string?> SettingOverrides { get; } = new Dictionary<string, string?>();

    /// <summary>The connection string the API gets; by default a fresh database that this fixture owns.</summary>
    protected virtual async Task<string> ProvideDatabaseAsync()
    {
        ownsDatabase = true;
        return await PostgresServer.CreateDatabaseAsync();
    }

    [OneTimeSetUp]
    public async Task StartApi()
    {
        ConnectionString = await ProvideDatabaseAsync();
        Stripe = await StripeFake.StartAsync();
        Factory = BillingApiFactory.Create(ConnectionString, Stripe.BaseUrl, SettingOverrides);
        Client = Factory.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await Stripe.DisposeAsync();
        if (ownsDatabase)
        {
            await PostgresServer.DropDatabaseAsync(ConnectionString);
        }
    }

    [SetUp]
    public void ResetStripe() => Stripe.Reset();
}
