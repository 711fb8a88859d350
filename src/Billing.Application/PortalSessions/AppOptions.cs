namespace Billing.Application.PortalSessions;

/// <summary>Facts about the SPA this service sits next to (section <c>App</c>).</summary>
public sealed class AppOptions
{
    public const string SectionName = "App";

    /// <summary>The SPA's public base URL, e.g. <c>https://app.example.com</c>.</summary>
    public string PublicUrl { get; set; } = string.Empty;
}
