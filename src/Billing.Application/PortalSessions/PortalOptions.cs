namespace Billing.Application.PortalSessions;

/// <summary>Settings of the Billing Portal sessions we open (section <c>Portal</c>).</summary>
public sealed class PortalOptions
{
    public const string SectionName = "Portal";

    /// <summary>Path of the SPA page Stripe sends the user back to, appended to <see cref="AppOptions.PublicUrl"/>.</summary>
    public string ReturnPath { get; set; } = "/settings/billing";

    /// <summary>Origins a caller's absolute <c>returnUrl</c> may point at; empty means just the origin of <see cref="AppOptions.PublicUrl"/>.</summary>
    public string[] AllowedReturnOrigins { get; set; } = [];
}
