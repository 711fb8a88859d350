using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Billing.Infrastructure.Persistence;

/// <summary>Ready when PostgreSQL answers and every migration this build ships has been applied.</summary>
internal sealed class DatabaseReadinessHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    private const string AppliedCountSql =
        $"SELECT count(*) FROM public.{DatabaseMigrator.JournalTable} WHERE scriptname = ANY(@ScriptNames)";

    private const string UndefinedTable = "42P01";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var applied = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                AppliedCountSql, new { ScriptNames = DatabaseMigrator.ScriptNames.ToArray() }, cancellationToken: cancellationToken));
            return applied == DatabaseMigrator.ScriptNames.Count
                ? HealthCheckResult.Healthy("PostgreSQL reachable and migrated.")
                : HealthCheckResult.Unhealthy($"{DatabaseMigrator.ScriptNames.Count - applied} migration(s) not applied.");
        }
        catch (PostgresException exception) when (exception.SqlState == UndefinedTable)
        {
            return HealthCheckResult.Unhealthy("No migration has been applied.");
        }
        catch (NpgsqlException exception)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is unreachable.", exception);
        }
    }
}
