using Billing.Domain.Tenants;
using Billing.Infrastructure.Persistence;
using Billing.Tests.Support;

namespace Billing.Tests.Infrastructure.Persistence;

public sealed class TenantConfigRepositoryTests : DatabaseTestBase
{
    private static readonly TenantId WithCustomer = new(Guid.NewGuid());
    private static readonly TenantId WithNullCustomer = new(Guid.NewGuid());
    private static readonly TenantId Neighbour = new(Guid.NewGuid());

    private TenantConfigRepository repository = null!;

    [SetUp]
    public async Task SeedTenants()
    {
        await CreateMigrator().MigrateAsync(CancellationToken.None);
        await TenantSeeder.UpsertAsync(ConnectionString, WithCustomer.Value, "cus_with");
        await TenantSeeder.UpsertAsync(ConnectionString, WithNullCustomer.Value, null);
        await TenantSeeder.UpsertAsync(ConnectionString, Neighbour.Value, "cus_neighbour");
        repository = new TenantConfigRepository(DataSource);
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
}
