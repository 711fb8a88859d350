using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Billing.Infrastructure.Persistence;

/// <summary>Healthy when PostgreSQL answers a query through the service's own connection pool.</summary>
internal sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    private const string PingSql = "SELECT 1";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition(PingSql, cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy("PostgreSQL answered.");
        }
        catch (NpgsqlException exception)
        {
            return HealthCheckResult.Unhealthy(PostgresFailure.Describe(exception), exception);
        }
    }
}
