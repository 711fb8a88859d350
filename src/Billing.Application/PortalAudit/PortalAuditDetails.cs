namespace Billing.Application.PortalAudit;

/// <summary>What was asked for and what Stripe did, as far as a request got. Never the portal URL.</summary>
public sealed record PortalAuditDetails(
    string? StripeCustomerId = null,
    string? PortalSessionId = null,
    string? Flow = null,
    string? Locale = null,
    string? ReturnUrl = null,
    string? Configuration = null,
    string? StripeRequestId = null,
    // What the request was for: PortalAuditActions.Portal or .Sync.
    string Action = PortalAuditActions.Portal)
{
    public static PortalAuditDetails None { get; } = new();
}
