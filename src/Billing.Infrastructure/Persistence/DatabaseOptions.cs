namespace Billing.Infrastructure.Persistence;

/// <summary>Database settings: section <c>Database</c>, plus the connection string <c>ConnectionStrings:Billing</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";
    public const string ConnectionStringName = "Billing";

    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Apply pending migrations before the service starts listening.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
