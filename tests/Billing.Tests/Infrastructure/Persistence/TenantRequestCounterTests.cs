using Billing.Application.RateLimiting;
using Billing.Domain.Tenants;
using Billing.Infrastructure.Persistence;
using Npgsql;

namespace Billing.Tests.Infrastructure.Persistence;

public sealed class TenantRequestCounterTests : DatabaseTestBase
{
    private static readonly TenantId Tenant = new(Guid.NewGuid());
    private static readonly TenantId OtherTenant = new(Guid.NewGuid());
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    private NpgsqlDataSource pool = null!;
    private TenantRequestCounter counter = null!;

    [SetUp]
    public async Task Migrate()
    {
        await CreateMigrator().MigrateAsync(CancellationToken.None);
        // The service's default pool size: concurrent counts contend for 20 connections, and for the row.
        pool = new NpgsqlDataSourceBuilder(ConnectionString) { ConnectionStringBuilder = { MaxPoolSize = 20 } }.Build();
        counter = new TenantRequestCounter(pool);
    }

    [TearDown]
    public async Task ClosePool() => await pool.DisposeAsync();

    [Test]
    public async Task IncrementAsync_FirstRequestOfATenant_CountsOneWithTheWholeWindowAhead()
    {
        var counted = await counter.IncrementAsync(Tenant, Window, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(counted.Count, Is.EqualTo(1));
            Assert.That(counted.Remaining, Is.EqualTo(Window));
        });
    }

    [Test]
    public async Task IncrementAsync_WithinTheWindow_CountsOnFromTheSameWindowStart()
    {
        await counter.IncrementAsync(Tenant, Window, CancellationToken.None);
        await counter.IncrementAsync(Tenant, Window, CancellationToken.None);
        await SetWindowStartAsync(Tenant, "now() - interval '20 seconds'");

        var counted = await counter.IncrementAsync(Tenant, Window, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(counted.Count, Is.EqualTo(3));
            Assert.That(counted.Remaining, Is.InRange(TimeSpan.FromSeconds(39), TimeSpan.FromSeconds(40)));
        });
    }

    [Test]
    public async Task IncrementAsync_AfterTheWindowEnded_StartsANewWindowAtOne()
    {
        for (var i = 0; i < 7; i++)
        {
            await counter.IncrementAsync(Tenant, Window, CancellationToken.None);
        }

        await SetWindowStartAsync(Tenant, "now() - interval '60 seconds'");

        var counted = await counter.IncrementAsync(Tenant, Window, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(counted.Count, Is.EqualTo(1));
            Assert.That(counted.Remaining, Is.EqualTo(Window));
        });
    }

    [Test]
    public async Task IncrementAsync_TwoTenants_CountsEachInItsOwnWindow()
    {
        await counter.IncrementAsync(Tenant, Window, CancellationToken.None);
        await counter.IncrementAsync(Tenant, Window, CancellationToken.None);

        var counted = await counter.IncrementAsync(OtherTenant, Window, CancellationToken.None);

        Assert.That(counted.Count, Is.EqualTo(1));
    }

    [Test]
    public async Task IncrementAsync_ManyWindows_KeepsOneRowPerTenant()
    {
        for (var window = 0; window < 3; window++)
        {
            await counter.IncrementAsync(Tenant, Window, CancellationToken.None);
            await counter.IncrementAsync(OtherTenant, Window, CancellationToken.None);
            await SetWindowStartAsync(Tenant, "now() - interval '1 hour'");
            await SetWindowStartAsync(OtherTenant, "now() - interval '1 hour'");
        }

        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM tenant_rate_limit"), Is.EqualTo(2));
    }

    [Test]
    public async Task IncrementAsync_TwoHundredAtOnce_HandsOutEachCountExactlyOnce()
    {
        var counts = await Task.WhenAll(Enumerable.Range(0, 200)
            .Select(_ => Task.Run(() => counter.IncrementAsync(Tenant, Window, CancellationToken.None))));

        Assert.That(counts.Select(counted => counted.Count), Is.EquivalentTo(Enumerable.Range(1, 200).Select(count => (long)count)));
    }

    [Test]
    public async Task AcquireAsync_TwoHundredAtOnceThroughTheLimiter_AcquiresExactlyThePermitLimit()
    {
        const int PermitLimit = 10;
        using var limiter = new TenantWindowRateLimiter(Tenant, PermitLimit, Window, counter, TimeProvider.System);

        var leases = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(async () => await limiter.AcquireAsync())));

        Assert.That(leases.Count(lease => lease.IsAcquired), Is.EqualTo(PermitLimit));
    }

    [Test]
    public async Task MigrateAsync_Always_LeavesTheCountsUnlogged()
    {
        // A count writes no WAL and its commit waits for no disk: migration 0012.
        Assert.That(await ScalarAsync<char>("SELECT relpersistence FROM pg_class WHERE oid = 'tenant_rate_limit'::regclass"), Is.EqualTo('u'));
    }

    /// <summary>Moves the tenant's window back in time, as the clock moving on would.</summary>
    private async Task SetWindowStartAsync(TenantId tenant, string start)
    {
        await using var command = DataSource.CreateCommand($"UPDATE tenant_rate_limit SET window_start = {start} WHERE tenant_id = $1");
        command.Parameters.AddWithValue(tenant.Value);
        await command.ExecuteNonQueryAsync();
    }
}
