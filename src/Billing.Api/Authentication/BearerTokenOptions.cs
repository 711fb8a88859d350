namespace Billing.Api.Authentication;

/// <summary>
/// Our additions to JwtBearer's own section <c>Authentication:Schemes:Bearer</c>, which ASP.NET Core reads itself
/// (<c>Authority</c>, <c>ValidIssuer</c>, <c>ValidAudiences</c>, <c>SigningKeys</c>, ...).
/// </summary>
public sealed class BearerTokenOptions
{
    public const string SectionName = "Authentication:Schemes:Bearer";

    /// <summary>Tolerated clock difference between the token issuer and this service.</summary>
    public int ClockSkewSeconds { get; set; } = 30;
}
