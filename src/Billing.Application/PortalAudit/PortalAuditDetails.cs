namespace Billing.Application.PortalAudit;

/// <summary>What was asked for and what Stripe did, as far as a request got. Never the portal or Checkout URL.</summary>
public sealed record PortalAuditDetails(
    string? StripeCustomerId = null,
    string? PortalSessionId = null,
    string? Flow = null,
    string? Locale = null,
    string? ReturnUrl = null,
    string? Configuration = null,
    string? StripeRequestId = null,
    // What the request was for: one of PortalAuditActions.
    string Action = PortalAuditActions.Portal,
    // Checkout only; ReturnUrl then holds its success URL.
    string? CheckoutSessionId = null,
    string? PriceId = null,
    int? Quantity = null)
{
    public static PortalAuditDetails None { get; } = new();
}
