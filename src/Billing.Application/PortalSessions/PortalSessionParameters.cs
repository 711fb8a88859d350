namespace Billing.Application.PortalSessions;

/// <summary>What Stripe is asked for. Every value here comes from our database or has passed validation.</summary>
/// <param name="StripeCustomerId">Whose billing the portal shows.</param>
/// <param name="ReturnUrl">Where "return" and a completed flow send the user.</param>
/// <param name="Flow">An optional deep link.</param>
/// <param name="StripeSubscriptionId">The tenant's subscription; set exactly when <paramref name="Flow"/> needs one.</param>
/// <param name="Locale">The portal's language; null lets Stripe choose.</param>
/// <param name="PortalConfigurationId">A tenant-specific portal configuration; null uses the service-wide one.</param>
public sealed record PortalSessionParameters(
    string StripeCustomerId,
    string ReturnUrl,
    PortalFlow? Flow = null,
    string? StripeSubscriptionId = null,
    string? Locale = null,
    string? PortalConfigurationId = null);
