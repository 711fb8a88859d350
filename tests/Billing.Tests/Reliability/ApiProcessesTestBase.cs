using Billing.Infrastructure.Persistence;
using Billing.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Billing.Tests.Reliability;

/// <summary>
/// The API as deployed: processes of its own build on one database of this fixture's, against one Stripe fake that
/// is reset before every test. Processes a test starts are stopped after it.
/// </summary>
[Category("Integration")]
public abstract class ApiProcessesTestBase
{
    private readonly List<ApiProcess> processes = [];

    protected string ConnectionString { get; private set; } = null!;

    internal StripeFake Stripe { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartDependencies()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync();
        // Migrated up front, as a deployment's first instance would have, so that tenants can be seeded before any API
        // runs and processes started together do not queue on the migration lock.
        await using (var dataSource = NpgsqlDataSource.Create(ConnectionString))
        {
            await new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
        }

        Stripe = await StripeFake.StartAsync();
    }

    [SetUp]
    public void ResetStripe() => Stripe.Reset();

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
        await Stripe.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(ConnectionString);
    }

    /// <summary>Starts a process with a working deployment's settings and <paramref name="overrides"/>, quieter than the in-process hosts log.</summary>
    internal async Task<ApiProcess> StartApiAsync(IReadOnlyDictionary<string, string?> overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            // Debug lines for hundreds of requests would only slow several processes on a small machine.
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Npgsql"] = "Warning",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var api = await ApiProcess.StartAsync(BillingApiFactory.Settings(ConnectionString, Stripe.BaseUrl, settings));
        lock (processes)
        {
            processes.Add(api);
        }

        return api;
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash or an OOM kill would end it.</summary>
    internal async Task KillAsync(ApiProcess api)
    {
        lock (processes)
        {
            processes.Remove(api);
        }

        await api.DisposeAsync();
    }
}
