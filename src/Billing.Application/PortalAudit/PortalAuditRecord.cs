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
    string? TraceId,
    string Action = PortalAuditActions.Portal,
    string? CheckoutSessionId = null,
    string? PriceId = null,
    int? Quantity = null);
