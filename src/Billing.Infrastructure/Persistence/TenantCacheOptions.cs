namespace Billing.Infrastructure.Persistence;

/// <summary>The in-memory cache of tenant_config rows: section <c>TenantCache</c>.</summary>
public sealed class TenantCacheOptions
{
    public const string SectionName = "TenantCache";

    /// <summary>Off: every request reads its tenant's row from PostgreSQL.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many tenants one instance keeps; beyond that the least recently read ones are read again.</summary>
    public int MaxEntries { get; set; } = 100_000;

    /// <summary>
    /// The longest a cached row is used. Changes normally reach the cache within milliseconds (LISTEN/NOTIFY); this is
    /// the backstop should a notification ever be missed.
    /// </summary>
    public int TimeToLiveSeconds { get; set; } = 300;
}
