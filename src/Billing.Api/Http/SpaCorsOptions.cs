namespace Billing.Api.Http;

/// <summary>Which browser origins may call the API (section <c>Cors</c>).</summary>
public sealed class SpaCorsOptions
{
    public const string SectionName = "Cors";

    /// <summary>Exact origins such as <c>https://app.example.com</c>; no wildcards.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}
