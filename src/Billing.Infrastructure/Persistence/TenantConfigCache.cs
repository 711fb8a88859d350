using Billing.Domain.Tenants;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// The tenant_config rows read recently. It holds rows only while <see cref="TenantConfigChangeListener"/> is hearing
/// every change to the table: until the listener is in place, and again whenever it loses its connection, nothing is
/// kept and every lookup goes to PostgreSQL.
/// </summary>
internal sealed class TenantConfigCache : IDisposable
{
    private readonly MemoryCache entries;
    private readonly MemoryCacheEntryOptions entryOptions;
    private readonly Lock gate = new();

    // Bumped by every invalidation. A row read from the database is stored only if no invalidation happened since the
    // read began; otherwise the read may predate the change and would put the old row back.
    private long version;
    private volatile bool trusted;

    public TenantConfigCache(IOptions<TenantCacheOptions> options)
    {
        entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.MaxEntries });
        entryOptions = new MemoryCacheEntryOptions
        {
            Size = 1,
            AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(options.Value.TimeToLiveSeconds),
        };
    }

    /// <summary>Whether changes are being heard, so that rows are kept.</summary>
    public bool IsTrusted => trusted;

    public bool TryGet(TenantId tenantId, out TenantConfig? config) => entries.TryGetValue(tenantId, out config);

    /// <summary>Taken before reading a row from the database, and handed back to <see cref="Store"/>.</summary>
    public long Version => Interlocked.Read(ref version);

    public void Store(TenantConfig config, long versionBeforeRead)
    {
        lock (gate)
        {
            if (trusted && version == versionBeforeRead)
            {
                entries.Set(config.TenantId, config, entryOptions);
            }
        }
    }

    public void Invalidate(TenantId tenantId)
    {
        lock (gate)
        {
            version++;
            entries.Remove(tenantId);
        }
    }

    /// <summary>Called once changes are being heard: from now on rows may be kept.</summary>
    public void Trust() => Reset(trust: true);

    /// <summary>Called when changes may go unheard: drops every row and keeps none until <see cref="Trust"/>.</summary>
    public void Distrust() => Reset(trust: false);

    public void InvalidateAll() => Reset(trust: null);

    public void Dispose() => entries.Dispose();

    private void Reset(bool? trust)
    {
        lock (gate)
        {
            trusted = trust ?? trusted;
            version++;
            entries.Clear();
        }
    }
}
