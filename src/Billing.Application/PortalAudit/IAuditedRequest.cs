namespace Billing.Application.PortalAudit;

/// <summary>A request body the audit trail records, as asked for, when it is refused.</summary>
public interface IAuditedRequest
{
    /// <summary>What the caller asked for, as the audit trail records a request that is refused as it stands.</summary>
    PortalAuditDetails AskedFor();
}
