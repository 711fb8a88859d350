namespace Billing.Application.PortalSessions;

/// <summary>A created Billing Portal session.</summary>
/// <param name="Url">
/// The short-lived URL that opens the portal. It grants access to the customer's billing without
/// further authentication, so redirect to it at once and never log or store it.
/// </param>
public sealed record PortalSession(string Url);
