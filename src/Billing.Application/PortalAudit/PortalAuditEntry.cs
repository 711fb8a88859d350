using Billing.Domain.Tenants;

namespace Billing.Application.PortalAudit;

/// <summary>One row of the audit trail, as written.</summary>
public sealed record PortalAuditEntry(
    TenantId TenantId,
    PortalAuditOutcome Outcome,
    PortalAuditDetails Details,
    string? UserId,
    string? ClientIp,
    string? UserAgent,
    string? TraceId);
