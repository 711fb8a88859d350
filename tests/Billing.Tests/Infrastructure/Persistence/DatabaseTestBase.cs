using Billing.Infrastructure.Persistence;
using Billing.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Billing.Tests.Infrastructure.Persistence;

/// <summary>Gives each test its own empty database on the test run's PostgreSQL.</summary>
// NUnit applies a base fixture's category to every fixture derived from it: all of them stay out of the fast run.
[Category("Integration")]
public abstract class DatabaseTestBase
{
    protected string ConnectionString { get; private set; } = null!;

    protected NpgsqlDataSource DataSource { get; private set; } = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        ConnectionString = await PostgresServer.CreateDatabaseAsync();
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    [TearDown]
    public async Task DropDatabase()
    {
        await DataSource.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(ConnectionString);
    }

    protected DatabaseMigrator CreateMigrator() => new(DataSource, NullLogger<DatabaseMigrator>.Instance);

    protected async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? default : (T?)value;
    }
}
