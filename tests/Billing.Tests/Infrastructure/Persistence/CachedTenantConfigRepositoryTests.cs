using Billing.Domain.Tenants;
using Billing.Infrastructure.Persistence;
using Billing.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Billing.Tests.Infrastructure.Persistence;

/// <summary>The cache, the listener and migration 0004's triggers together, on a real PostgreSQL.</summary>
public sealed class CachedTenantConfigRepositoryTests : DatabaseTestBase
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TenantId tenant = new(Guid.NewGuid());
    private TenantConfigCache cache = null!;
    private TenantConfigChangeListener listener = null!;
    private CachedTenantConfigRepository repository = null!;

    [SetUp]
    public async Task StartListening()
    {
        await CreateMigrator().MigrateAsync(CancellationToken.None);
        await TenantSeeder.UpsertAsync(ConnectionString, tenant.Value, "cus_before");
        var options = Options.Create(new TenantCacheOptions());
        cache = new TenantConfigCache(options);
        listener = new TenantConfigChangeListener(DataSource, cache, options, NullLogger<TenantConfigChangeListener>.Instance);
        repository = new CachedTenantConfigRepository(new TenantConfigRepository(DataSource, NullLogger<TenantConfigRepository>.Instance), cache);
        await listener.StartAsync(CancellationToken.None);
        await Until(() => Task.FromResult(cache.IsTrusted), "the listener to be in place");
    }

    [TearDown]
    public async Task StopListening()
    {
        await listener.StopAsync(CancellationToken.None);
        listener.Dispose();
        cache.Dispose();
    }

    [Test]
    public async Task FindAsync_RowChangedWithoutNotification_KeepsServingTheCachedRow()
    {
        await repository.FindAsync(tenant, CancellationToken.None);

        await ChangeCustomerSilentlyAsync("cus_unnoticed");

        Assert.That((await repository.FindAsync(tenant, CancellationToken.None))?.StripeCustomerId, Is.EqualTo("cus_before"));
    }

    [Test]
    public async Task FindAsync_RowUpdated_ServesTheNewRow()
    {
        await repository.FindAsync(tenant, CancellationToken.None);

        await TenantSeeder.UpsertAsync(ConnectionString, tenant.Value, "cus_after", "sub_after");

        await Until(async () => (await repository.FindAsync(tenant, CancellationToken.None)) == new TenantConfig(tenant, "cus_after", "sub_after"),
            "the update to reach the cache");
    }

    [Test]
    public async Task FindAsync_RowDeleted_ReturnsNull()
    {
        await repository.FindAsync(tenant, CancellationToken.None);

        await ExecuteAsync($"DELETE FROM tenant_config WHERE tenant_id = '{tenant.Value}'");

        await Until(async () => await repository.FindAsync(tenant, CancellationToken.None) is null, "the deletion to reach the cache");
    }

    [Test]
    public async Task FindAsync_BulkUpdateOfManyRows_ServesEveryNewRow()
    {
        await ExecuteAsync("INSERT INTO tenant_config (tenant_id, stripe_customer_id) SELECT gen_random_uuid(), 'cus_bulk_' || n FROM generate_series(1, 150) n");
        await repository.FindAsync(tenant, CancellationToken.None);

        await ExecuteAsync("UPDATE tenant_config SET stripe_customer_id = stripe_customer_id || '_moved'");

        await Until(async () => (await repository.FindAsync(tenant, CancellationToken.None))?.StripeCustomerId == "cus_before_moved",
            "the bulk update to reach the cache");
    }

    [Test]
    public async Task FindAsync_TableTruncated_ReturnsNull()
    {
        await repository.FindAsync(tenant, CancellationToken.None);

        await ExecuteAsync("TRUNCATE tenant_config");

        await Until(async () => await repository.FindAsync(tenant, CancellationToken.None) is null, "the truncation to reach the cache");
    }

    [Test]
    public async Task FindAsync_ListenerConnectionLost_ReadsTheDatabaseUntilListeningAgain()
    {
        await repository.FindAsync(tenant, CancellationToken.None);

        await ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        await ChangeCustomerSilentlyAsync("cus_unnoticed");

        // The silent change is seen although no notification announced it: the cached row went with the listener.
        await Until(async () => (await repository.FindAsync(tenant, CancellationToken.None))?.StripeCustomerId == "cus_unnoticed",
            "the cache to be dropped with the listener's connection");
        await Until(() => Task.FromResult(cache.IsTrusted), "the listener to be back");
    }

    /// <summary>Changes the row with triggers off, the way nothing in production can: no notification goes out.</summary>
    private Task ChangeCustomerSilentlyAsync(string customer) => ExecuteAsync(
        $"SET session_replication_role = replica; UPDATE tenant_config SET stripe_customer_id = '{customer}' WHERE tenant_id = '{tenant.Value}'");

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Waited {Patience.TotalSeconds} s for {what}.");
            }

            await Task.Delay(20);
        }
    }
}
