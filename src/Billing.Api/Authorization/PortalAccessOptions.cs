namespace Billing.Api.Authorization;

/// <summary>Who may open the portal, and how often (section <c>Portal</c>).</summary>
public sealed class PortalAccessOptions
{
    public const string SectionName = "Portal";

    /// <summary>Roles of which the caller needs one; empty lets any authenticated user of the tenant in.</summary>
    public string[] RequiredRoles { get; set; } = [];

    public PortalRateLimitOptions RateLimit { get; set; } = new();
}

/// <summary>Per-tenant budget of portal sessions (section <c>Portal:RateLimit</c>).</summary>
public sealed class PortalRateLimitOptions
{
    public int PermitLimit { get; set; } = 10;

    public int WindowSeconds { get; set; } = 60;
}
