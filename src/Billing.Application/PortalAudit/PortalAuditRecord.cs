namespace Billing.Application.PortalAudit;

/// <summary>One row of a tenant's audit trail, as shown to its admins.</summary>
public sealed record PortalAuditRecord(
    long Id,
    DateTimeOffset OccurredAt,
    string? UserId,
    string Outcome,
    string? StripeCustomerId,
    string? PortalSessionId,
    string? Flow,
    string? Locale,
    string? ReturnUrl,
    string? Configuration,
    string? ClientIp,
    string? UserAgent,
    string? StripeRequestId,
    string? TraceId);

/// <summary>A page of audit rows, newest first.</summary>
/// <param name="Items">The rows.</param>
/// <param name="NextCursor">Pass as <c>before</c> to get the next (older) page; null on the last page.</param>
public sealed record PortalAuditPage(IReadOnlyList<PortalAuditRecord> Items, string? NextCursor);
