using Billing.Domain.Tenants;

namespace Billing.Application.Common.Interfaces;

public interface ITenantConfigRepository
{
    /// <returns>The tenant's configuration, or <see langword="null"/> when the tenant has none.</returns>
    Task<TenantConfig?> FindAsync(TenantId tenantId, CancellationToken cancellationToken);
}
