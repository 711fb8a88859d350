using Billing.Infrastructure.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Billing.Tests.Support;

namespace Billing.Tests.Infrastructure.Persistence;

public sealed class PostgresHealthCheckTests : DatabaseTestBase
{
    [Test]
    public async Task CheckHealthAsync_ServerAnswers_IsHealthy()
    {
        var result = await new PostgresHealthCheck(DataSource).CheckHealthAsync(new HealthCheckContext());

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Healthy));
    }

    [Test]
    public async Task CheckHealthAsync_ServerUnreachable_IsUnhealthyAndSaysWhyWithoutNamingTheHost()
    {
        await using var unreachable = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={UnusedPort.Next()};Username=nobody;Timeout=2");

        var result = await new PostgresHealthCheck(unreachable).CheckHealthAsync(new HealthCheckContext());

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(result.Description, Is.EqualTo("PostgreSQL is unreachable (ConnectionRefused)."));
            Assert.That(result.Exception, Is.InstanceOf<NpgsqlException>());
        });
    }

    [Test]
    public async Task CheckHealthAsync_ServerRefusesTheLogin_IsUnhealthyWithTheSqlState()
    {
        var wrongDatabase = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "no_such_database" }.ConnectionString;
        await using var refused = NpgsqlDataSource.Create(wrongDatabase);

        var result = await new PostgresHealthCheck(refused).CheckHealthAsync(new HealthCheckContext());

        Assert.That(result.Description, Is.EqualTo("PostgreSQL answered with error SQLSTATE 3D000."));
    }
}
