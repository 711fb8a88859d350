namespace Billing.Application.PortalSessions;

/// <summary>The optional body of a portal session request. It has no members yet: the tenant and its
/// customer always come from the caller's token and our database, never from the request.</summary>
public sealed record PortalSessionRequest;
