using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Billing.Tests.Support;

/// <summary>Mints the bearer tokens tests send, signed with the HS256 key the test host is configured with.</summary>
internal static class TestTokens
{
    public const string Issuer = "https://issuer.billing.test";
    public const string Audience = "billing-api";
    public const string TenantClaim = "tenant_id";

    public static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(32);

    public static string SigningKeyBase64 => Convert.ToBase64String(SigningKey);

    /// <summary>Host settings that make the API accept what <see cref="Create"/> mints.</summary>
    public static IReadOnlyDictionary<string, string?> HostSettings => new Dictionary<string, string?>
    {
        ["Authentication:Schemes:Bearer:ValidIssuer"] = Issuer,
        ["Authentication:Schemes:Bearer:ValidAudiences:0"] = Audience,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = Issuer,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = SigningKeyBase64,
    };

    /// <summary>A valid token for a user of the tenant; roles, if any, as a JSON array claim.</summary>
    public static string ForTenant(Guid tenantId, params string[] roles)
    {
        var claims = new Dictionary<string, object> { [TenantClaim] = tenantId.ToString() };
        if (roles.Length > 0)
        {
            claims["roles"] = roles;
        }

        return Create(claims);
    }

    public static string Create(
        Dictionary<string, object>? claims = null,
        DateTime? expires = null,
        DateTime? notBefore = null,
        string issuer = Issuer,
        string audience = Audience,
        byte[]? signingKey = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", "user-1")]),
            Claims = claims ?? [],
            IssuedAt = (notBefore ?? now).AddMinutes(-1),
            NotBefore = notBefore ?? now.AddMinutes(-1),
            Expires = expires ?? now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(signingKey ?? SigningKey), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>A correctly signed token for the tenant that carries no <c>exp</c>: it would be valid forever.</summary>
    public static string WithoutExpiry(Guid tenantId)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = new Dictionary<string, object> { ["sub"] = "user-1", [TenantClaim] = tenantId.ToString() },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(SigningKey), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>A token that claims <c>"alg":"none"</c> and carries no signature.</summary>
    public static string Unsigned(Guid tenantId)
    {
        var header = Base64Url("""{"alg":"none","typ":"JWT"}""");
        var exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        var payload = Base64Url($$"""{"iss":"{{Issuer}}","aud":"{{Audience}}","sub":"user-1","{{TenantClaim}}":"{{tenantId}}","exp":{{exp}}}""");
        return $"{header}.{payload}.";
    }

    private static string Base64Url(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
}
