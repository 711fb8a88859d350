using Billing.Domain.Tenants;

namespace Billing.Application.PortalAudit;

public interface IPortalAuditRepository
{
    Task AddAsync(PortalAuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The tenant's rows older than <paramref name="before"/> (all when null), newest first.</summary>
    Task<IReadOnlyList<PortalAuditRecord>> ListAsync(TenantId tenantId, int limit, PortalAuditCursor? before, CancellationToken cancellationToken);
}
