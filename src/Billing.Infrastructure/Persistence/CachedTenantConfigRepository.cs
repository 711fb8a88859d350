using Billing.Application.Common.Interfaces;
using Billing.Domain.Tenants;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// Answers tenant lookups from <see cref="TenantConfigCache"/> when it can, and from PostgreSQL otherwise. A tenant
/// without a row is not cached: it is rare, and onboarding must take effect at once.
/// </summary>
internal sealed class CachedTenantConfigRepository(TenantConfigRepository database, TenantConfigCache cache) : ITenantConfigRepository
{
    public async Task<TenantConfig?> FindAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        if (cache.TryGet(tenantId, out var cached))
        {
            return cached;
        }

        var versionBeforeRead = cache.Version;
        var config = await database.FindAsync(tenantId, cancellationToken);
        if (config is not null)
        {
            cache.Store(config, versionBeforeRead);
        }

        return config;
    }
}
