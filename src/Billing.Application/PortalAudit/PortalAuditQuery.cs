namespace Billing.Application.PortalAudit;

/// <summary>Which page of the caller's tenant's audit trail to read.</summary>
/// <param name="Limit">Rows per page, 1 to 100.</param>
/// <param name="Before">The <c>nextCursor</c> of the previous page; omit for the newest rows.</param>
public sealed record PortalAuditQuery(int Limit = PortalAuditQuery.DefaultLimit, string? Before = null)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;
}
