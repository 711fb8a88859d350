using DbUp;
using DbUp.Engine;
using DbUp.Postgresql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Billing.Infrastructure.Persistence;

/// <summary>Applies the versioned SQL scripts embedded in this assembly, journaled in <see cref="JournalTable"/>.</summary>
public sealed class DatabaseMigrator(NpgsqlDataSource dataSource, ILogger<DatabaseMigrator> logger)
{
    public const string JournalTable = "schema_versions";

    private const string ScriptPrefix = "Billing.Infrastructure.Persistence.Migrations.";

    // Serialises migrations across instances that start together; any constant unique to this service works.
    private const long MigrationLockKey = 0x42_696C_6C69_6E67;

    private static readonly TimeSpan MigrationTimeout = TimeSpan.FromMinutes(30);

    private const string LockSql = "SELECT pg_advisory_lock(@Key)";
    private const string UnlockSql = "SELECT pg_advisory_unlock(@Key)";

    /// <summary>The names the journal records for every script this build ships.</summary>
    public static IReadOnlyList<string> ScriptNames { get; } = typeof(DatabaseMigrator).Assembly
        .GetManifestResourceNames()
        .Where(IsMigrationScript)
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>A journal name without the namespace it is embedded under, e.g. <c>0001_create_tenant_config.sql</c>.</summary>
    public static string ShortName(string scriptName) => scriptName[ScriptPrefix.Length..];

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var lockConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(lockConnection, LockSql, cancellationToken);
        try
        {
            var result = BuildEngine().PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException(
                    $"Database migration failed at script {result.ErrorScript?.Name ?? "(none)"}.", result.Error);
            }
        }
        finally
        {
            await ExecuteAsync(lockConnection, UnlockSql, CancellationToken.None);
        }
    }

    private UpgradeEngine BuildEngine() => DeployChanges.To
        .PostgresqlDatabase(new PostgresqlConnectionManager(dataSource))
        .JournalToPostgresqlTable("public", JournalTable)
        .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, IsMigrationScript)
        .WithTransactionPerScript()
        // A migration may rewrite a large table; the request path's command timeout is not meant for it.
        .WithExecutionTimeout(MigrationTimeout)
        .LogTo(logger)
        .Build();

    private static bool IsMigrationScript(string name) =>
        name.StartsWith(ScriptPrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal);

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("Key", MigrationLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
