namespace Billing.Application.PortalAudit;

/// <summary>A page of audit rows, newest first.</summary>
/// <param name="Items">The rows.</param>
/// <param name="NextCursor">Pass as <c>before</c> to get the next (older) page; null on the last page.</param>
public sealed record PortalAuditPage(IReadOnlyList<PortalAuditRecord> Items, string? NextCursor);
