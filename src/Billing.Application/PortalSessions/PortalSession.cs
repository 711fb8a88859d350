namespace Billing.Application.PortalSessions;

/// <summary>A created Billing Portal session.</summary>
/// <param name="Url">
/// The short-lived URL that opens the portal. It grants access to the customer's billing without
/// further authentication, so it is handed to the caller and never logged or stored.
/// </param>
public sealed record PortalSession(string Url);
