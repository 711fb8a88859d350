namespace Billing.Application.PortalSessions;

/// <summary>Per-tenant budget of portal sessions (section <c>Portal:RateLimit</c>), a fixed window.</summary>
public sealed class PortalRateLimitOptions
{
    public int PermitLimit { get; set; } = 10;

    public int WindowSeconds { get; set; } = 60;
}
