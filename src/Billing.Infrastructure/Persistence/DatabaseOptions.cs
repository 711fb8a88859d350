namespace Billing.Infrastructure.Persistence;

/// <summary>Database settings: section <c>Database</c>, plus the connection string <c>ConnectionStrings:Billing</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";
    public const string ConnectionStringName = "Billing";

    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Apply pending migrations before the service starts listening.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>
    /// How long opening a connection (TCP connect and PostgreSQL's start-up) may take before the request fails.
    /// Overrides <c>Timeout</c> in the connection string: this, not Npgsql's 15 s, is what a user waits when the
    /// server does not answer.
    /// </summary>
    public int ConnectTimeoutSeconds { get; set; } = 3;

    /// <summary>How long one statement may run before it is cancelled; overrides <c>Command Timeout</c> (Npgsql: 30 s).</summary>
    public int CommandTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// The most connections one instance opens; overrides <c>Maximum Pool Size</c> (Npgsql: 100). A request holds a
    /// connection only for one statement, never while it waits on Stripe, so a few serve thousands of requests.
    /// </summary>
    public int MaxPoolSize { get; set; } = 20;
}
