using Billing.Domain.Tenants;
using Billing.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace Billing.Tests.Infrastructure.Persistence;

public sealed class TenantConfigCacheTests
{
    private static readonly TenantConfig Config = new(new TenantId(Guid.NewGuid()), "cus_cached");
    private static readonly TenantConfig Neighbour = new(new TenantId(Guid.NewGuid()), "cus_neighbour");

    private TenantConfigCache cache = null!;

    [SetUp]
    public void CreateCache() => cache = new TenantConfigCache(Options.Create(new TenantCacheOptions()));

    [TearDown]
    public void DisposeCache() => cache.Dispose();

    [Test]
    public void Store_BeforeChangesAreHeard_KeepsNothing()
    {
        cache.Store(Config, cache.Version);

        Assert.That(cache.TryGet(Config.TenantId, out _), Is.False);
    }

    [Test]
    public void Store_WhileChangesAreHeard_ServesTheRow()
    {
        cache.Trust();

        cache.Store(Config, cache.Version);

        Assert.That(cache.TryGet(Config.TenantId, out var cached) ? cached : null, Is.EqualTo(Config));
    }

    [Test]
    public void Store_RowInvalidatedWhileItWasBeingRead_KeepsNothing()
    {
        cache.Trust();
        var versionBeforeRead = cache.Version;
        cache.Invalidate(Config.TenantId);

        cache.Store(Config, versionBeforeRead);

        Assert.That(cache.TryGet(Config.TenantId, out _), Is.False);
    }

    [Test]
    public void Invalidate_OneTenant_LeavesTheOthers()
    {
        cache.Trust();
        cache.Store(Config, cache.Version);
        cache.Store(Neighbour, cache.Version);

        cache.Invalidate(Config.TenantId);

        Assert.Multiple(() =>
        {
            Assert.That(cache.TryGet(Config.TenantId, out _), Is.False);
            Assert.That(cache.TryGet(Neighbour.TenantId, out _), Is.True);
        });
    }

    [Test]
    public void InvalidateAll_WhileChangesAreHeard_DropsEveryRowButKeepsNewOnes()
    {
        cache.Trust();
        cache.Store(Config, cache.Version);

        cache.InvalidateAll();
        cache.Store(Neighbour, cache.Version);

        Assert.Multiple(() =>
        {
            Assert.That(cache.TryGet(Config.TenantId, out _), Is.False);
            Assert.That(cache.TryGet(Neighbour.TenantId, out _), Is.True);
        });
    }

    [Test]
    public void Distrust_ListenerLost_DropsEveryRowAndKeepsNoNewOnes()
    {
        cache.Trust();
        cache.Store(Config, cache.Version);

        cache.Distrust();
        cache.Store(Neighbour, cache.Version);

        Assert.Multiple(() =>
        {
            Assert.That(cache.TryGet(Config.TenantId, out _), Is.False);
            Assert.That(cache.TryGet(Neighbour.TenantId, out _), Is.False);
            Assert.That(cache.IsTrusted, Is.False);
        });
    }

    [Test]
    public async Task Store_AfterTheTimeToLive_IsNoLongerServed()
    {
        using var shortLived = new TenantConfigCache(Options.Create(new TenantCacheOptions { TimeToLiveSeconds = 1 }));
        shortLived.Trust();
        shortLived.Store(Config, shortLived.Version);

        await Task.Delay(TimeSpan.FromSeconds(1.2));

        Assert.That(shortLived.TryGet(Config.TenantId, out _), Is.False);
    }
}
