namespace Billing.Application.PortalSessions;

/// <summary>What Stripe answered when it created a portal session.</summary>
/// <param name="Id">The session id (<c>bps_…</c>).</param>
/// <param name="Url">The bearer URL that opens the portal; handed to the caller, never logged or stored.</param>
/// <param name="ConfigurationId">The portal configuration Stripe applied (<c>bpc_…</c>).</param>
/// <param name="StripeRequestId">Stripe's <c>Request-Id</c> for this call.</param>
public sealed record CreatedPortalSession(string Id, string Url, string? ConfigurationId, string? StripeRequestId);
