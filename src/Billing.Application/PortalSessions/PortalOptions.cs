namespace Billing.Application.PortalSessions;

/// <summary>Everything about the Billing Portal sessions we open, and who may open them (section <c>Portal</c>).</summary>
public sealed class PortalOptions
{
    public const string SectionName = "Portal";

    /// <summary>Path of the SPA page Stripe sends the user back to, appended to <see cref="AppOptions.PublicUrl"/>.</summary>
    public string ReturnPath { get; set; } = "/settings/billing";

    /// <summary>Origins a caller's absolute <c>returnUrl</c> may point at; empty means just the origin of <see cref="AppOptions.PublicUrl"/>.</summary>
    public string[] AllowedReturnOrigins { get; set; } = [];

    /// <summary>Roles of which the caller needs one to open the portal or read its audit trail; empty lets any authenticated user of the tenant in.</summary>
    public string[] RequiredRoles { get; set; } = [];

    /// <summary>Each tenant's budget of portal sessions.</summary>
    public PortalRateLimitOptions RateLimit { get; set; } = new();
}
