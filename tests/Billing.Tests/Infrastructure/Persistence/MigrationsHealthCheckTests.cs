using Billing.Infrastructure.Persistence;
using Billing.Tests.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Billing.Tests.Infrastructure.Persistence;

public sealed class MigrationsHealthCheckTests : DatabaseTestBase
{
    [Test]
    public async Task CheckHealthAsync_NotMigrated_IsUnhealthyAndListsEveryScript()
    {
        var result = await new MigrationsHealthCheck(DataSource).CheckHealthAsync(new HealthCheckContext());

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(result.Data["applied"], Is.EqualTo(0));
            Assert.That(result.Data["pending"], Is.EqualTo(DatabaseMigrator.ScriptNames.Select(DatabaseMigrator.ShortName)));
            Assert.That(result.Data["pending"], Has.Member("0001_create_tenant_config.sql"));
        });
    }

    [Test]
    public async Task CheckHealthAsync_LastScriptMissing_NamesOnlyThatScript()
    {
        await CreateMigrator().MigrateAsync(CancellationToken.None);
        var last = DatabaseMigrator.ScriptNames[^1];
        await using (var command = DataSource.CreateCommand($"DELETE FROM {DatabaseMigrator.JournalTable} WHERE scriptname = '{last}'"))
        {
            await command.ExecuteNonQueryAsync();
        }

        var result = await new MigrationsHealthCheck(DataSource).CheckHealthAsync(new HealthCheckContext());

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(result.Data["pending"], Is.EqualTo(new[] { DatabaseMigrator.ShortName(last) }));
        });
    }

    [Test]
    public async Task CheckHealthAsync_Migrated_IsHealthy()
    {
        await CreateMigrator().MigrateAsync(CancellationToken.None);

        var result = await new MigrationsHealthCheck(DataSource).CheckHealthAsync(new HealthCheckContext());

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(HealthStatus.Healthy));
            Assert.That(result.Data["pending"], Is.Empty);
        });
    }

    [Test]
    public async Task CheckHealthAsync_ServerUnreachable_IsUnhealthy()
    {
        await using var unreachable = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={UnusedPort.Next()};Username=nobody;Timeout=2");

        var result = await new MigrationsHealthCheck(unreachable).CheckHealthAsync(new HealthCheckContext());

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(result.Description, Is.EqualTo("Migrations unknown: PostgreSQL is unreachable (ConnectionRefused)."));
        });
    }
}
