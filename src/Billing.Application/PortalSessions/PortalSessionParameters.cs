namespace Billing.Application.PortalSessions;

/// <summary>What Stripe needs to open a portal session: whose billing, and where to send the user back to.</summary>
public sealed record PortalSessionParameters(string StripeCustomerId, string ReturnUrl);
