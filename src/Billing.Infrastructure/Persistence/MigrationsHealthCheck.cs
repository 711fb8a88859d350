using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Billing.Infrastructure.Persistence;

/// <summary>Healthy when every migration this build ships is in the journal; otherwise names the ones missing.</summary>
internal sealed class MigrationsHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    private const string AppliedSql =
        $"SELECT scriptname FROM public.{DatabaseMigrator.JournalTable} WHERE scriptname = ANY(@ScriptNames)";

    private const string UndefinedTable = "42P01";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyCollection<string> applied;
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            applied = (await connection.QueryAsync<string>(new CommandDefinition(
                AppliedSql, new { ScriptNames = DatabaseMigrator.ScriptNames.ToArray() }, cancellationToken: cancellationToken))).ToArray();
        }
        catch (PostgresException exception) when (exception.SqlState == UndefinedTable)
        {
            applied = [];
        }
        catch (NpgsqlException exception)
        {
            return HealthCheckResult.Unhealthy($"Migrations unknown: {PostgresFailure.Describe(exception)}", exception);
        }

        var pending = DatabaseMigrator.ScriptNames.Except(applied).Select(DatabaseMigrator.ShortName).ToArray();
        var data = new Dictionary<string, object>
        {
            ["applied"] = DatabaseMigrator.ScriptNames.Count - pending.Length,
            ["pending"] = pending,
        };
        return pending.Length == 0
            ? HealthCheckResult.Healthy($"All {DatabaseMigrator.ScriptNames.Count} migrations applied.", data)
            : HealthCheckResult.Unhealthy($"{pending.Length} of {DatabaseMigrator.ScriptNames.Count} migrations not applied.", data: data);
    }
}
