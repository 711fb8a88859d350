using Billing.Infrastructure.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Billing.Tests.Infrastructure.Persistence;

public sealed class DatabaseReadinessHealthCheckTests : DatabaseTestBase
{
    [Test]
    public async Task CheckHealthAsync_NotMigrated_IsUnhealthy()
    {
        var result = await new DatabaseReadinessHealthCheck(DataSource).CheckHealthAsync(new HealthCheckContext());

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
    }

    [Test]
    public async Task CheckHealthAsync_Migrated_IsHealthy()
    {
        await CreateMigrator().MigrateAsync(CancellationToken.None);

        var result = await new DatabaseReadinessHealthCheck(DataSource).CheckHealthAsync(new HealthCheckContext());

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Healthy));
    }

    [Test]
    public async Task CheckHealthAsync_ServerUnreachable_IsUnhealthy()
    {
        await using var unreachable = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=nobody;Timeout=2");

        var result = await new DatabaseReadinessHealthCheck(unreachable).CheckHealthAsync(new HealthCheckContext());

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
    }
}
