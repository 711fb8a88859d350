using Billing.Domain.Tenants;
using Billing.Infrastructure.Persistence;
using Billing.Tests.Support;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;

namespace Billing.Tests.Infrastructure.Persistence;

public sealed class TenantConfigRepositoryTests : DatabaseTestBase
{
    private static readonly TenantId WithCustomer = new(Guid.NewGuid());
    private static readonly TenantId WithNullCustomer = new(Guid.NewGuid());
    private static readonly TenantId Neighbour = new(Guid.NewGuid());

    private TenantConfigRepository repository = null!;
    private FakeLogger<TenantConfigRepository> logger = null!;

    [SetUp]
    public async Task SeedTenants()
    {
        await CreateMigrator().MigrateAsync(CancellationToken.None);
        await TenantSeeder.UpsertAsync(ConnectionString, WithCustomer.Value, "cus_with");
        await TenantSeeder.UpsertAsync(ConnectionString, WithNullCustomer.Value, null);
        await TenantSeeder.UpsertAsync(ConnectionString, Neighbour.Value, "cus_neighbour");
        logger = new FakeLogger<TenantConfigRepository>();
        repository = new TenantConfigRepository(DataSource, logger);
    }

    [Test]
    public async Task FindAsync_TenantWithCustomer_ReturnsItsOwnCustomerId()
    {
        var config = await repository.FindAsync(WithCustomer, CancellationToken.None);

        Assert.That(config, Is.EqualTo(new TenantConfig(WithCustomer, "cus_with")));
    }

    [Test]
    public async Task FindAsync_TenantRowWithoutCustomer_ReturnsConfigWithNullCustomerId()
    {
        var config = await repository.FindAsync(WithNullCustomer, CancellationToken.None);

        Assert.That(config, Is.EqualTo(new TenantConfig(WithNullCustomer, null)));
    }

    [Test]
    public async Task FindAsync_TenantWithSubscriptionAndConfiguration_ReturnsThem()
    {
        var tenant = new TenantId(Guid.NewGuid());
        await TenantSeeder.UpsertAsync(ConnectionString, tenant.Value, "cus_full", "sub_full", "bpc_full");

        var config = await repository.FindAsync(tenant, CancellationToken.None);

        Assert.That(config, Is.EqualTo(new TenantConfig(tenant, "cus_full", "sub_full", "bpc_full")));
    }

    [Test]
    public async Task FindAsync_UnknownTenant_ReturnsNull()
    {
        var config = await repository.FindAsync(new TenantId(Guid.NewGuid()), CancellationToken.None);

        Assert.That(config, Is.Null);
    }

    [Test]
    public void FindAsync_CancelledToken_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.That(async () => await repository.FindAsync(WithCustomer, cancellation.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task FindAsync_PooledConnectionKilledByTheServer_RetriesOnceOnAFreshConnection()
    {
        await repository.FindAsync(WithCustomer, CancellationToken.None);
        await TerminatePooledConnectionsAsync();

        var config = await repository.FindAsync(WithCustomer, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(config, Is.EqualTo(new TenantConfig(WithCustomer, "cus_with")));
            Assert.That(logger.Collector.GetSnapshot().Single().Message, Does.Contain("transient database error").And.Contain("retrying once"));
        });
    }

    [Test]
    public async Task FindAsync_ServerUnreachable_FailsAfterExactlyOneRetry()
    {
        await using var unreachable = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={UnusedPort.Next()};Username=billing;Timeout=2");
        var failing = new TenantConfigRepository(unreachable, logger);

        await Assert.ThrowsAsync<NpgsqlException>(() => failing.FindAsync(WithCustomer, CancellationToken.None));
        Assert.That(logger.Collector.Count, Is.EqualTo(1));
    }

    /// <summary>What a server restart does to idle pooled connections: the server ends their backends.</summary>
    private async Task TerminatePooledConnectionsAsync()
    {
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await admin.OpenAsync();
        // Given a timeout, pg_terminate_backend returns true once the backend has exited, false if the timeout ends first;
        // bool_and is null if there was none to end.
        await using var terminate = new NpgsqlCommand(
            "SELECT bool_and(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", admin);
        Assert.That(await terminate.ExecuteScalarAsync(), Is.True, "idle pooled connections to end, their backends gone");
    }
}
