using Billing.Application.Common.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Billing.Infrastructure.Persistence;

/// <summary>The rules of <see cref="DatabaseOptions"/>, checked at start-up.</summary>
public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options) => new OptionsFailures()
        .Check(IsConnectionString(options.ConnectionString),
            $"ConnectionStrings:{DatabaseOptions.ConnectionStringName} must be a PostgreSQL connection string, e.g. Host=localhost;Database=billing;Username=billing.")
        .Check(options.ConnectTimeoutSeconds is >= 1 and <= 60, "Database:ConnectTimeoutSeconds must be between 1 and 60.")
        .Check(options.CommandTimeoutSeconds is >= 1 and <= 300, "Database:CommandTimeoutSeconds must be between 1 and 300.")
        .Check(options.MaxPoolSize is >= 2 and <= 500, "Database:MaxPoolSize must be between 2 and 500.")
        .ToResult();

    private static bool IsConnectionString(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return false;
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
