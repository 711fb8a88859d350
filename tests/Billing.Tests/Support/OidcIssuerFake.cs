using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Billing.Tests.Support;

/// <summary>
/// A loopback OpenID Connect provider with one RSA signing key: it serves the discovery document and the JWKS that
/// JwtBearer fetches through <c>Authority</c>, and mints RS256 tokens as a real identity provider would.
/// </summary>
internal sealed class OidcIssuerFake : IAsyncDisposable
{
    public const string KeyId = "rsa-1";

    private readonly WebApplication app;
    private readonly RSA rsa = RSA.Create(2048);

    private OidcIssuerFake(WebApplication app)
    {
        this.app = app;
        var publicKey = rsa.ExportParameters(includePrivateParameters: false);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["jwks_uri"] = $"{Issuer}/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/jwks", () => Results.Json(new
        {
            keys = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = KeyId,
                    ["n"] = Base64UrlEncoder.Encode(publicKey.Modulus), ["e"] = Base64UrlEncoder.Encode(publicKey.Exponent),
                },
            },
        }));
    }

    public string Issuer => LoopbackHost.BaseUrl(app);

    /// <summary>The public key as an attacker finds it published: PEM text.</summary>
    public string PublicKeyPem => rsa.ExportSubjectPublicKeyInfoPem();

    /// <summary>The public key as DER bytes (SubjectPublicKeyInfo).</summary>
    public byte[] PublicKeyDer => rsa.ExportSubjectPublicKeyInfo();

    public static async Task<OidcIssuerFake> StartAsync()
    {
        var fake = new OidcIssuerFake(LoopbackHost.CreateBuilder().Build());
        await fake.app.StartAsync();
        return fake;
    }

    /// <summary>A token for the tenant signed by this provider's private key (RS256).</summary>
    public string IssueToken(Guid tenantId) =>
        Sign(tenantId, new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256));

    /// <summary>
    /// The classic algorithm-confusion forgery: HS256 with the provider's public key bytes as the HMAC secret and the
    /// provider's key id, hoping the API verifies "with the key" whatever the algorithm says.
    /// </summary>
    public string ForgeWithPublicKeyAsHmacSecret(Guid tenantId, byte[] secret) =>
        Sign(tenantId, new SigningCredentials(new SymmetricSecurityKey(secret) { KeyId = KeyId }, SecurityAlgorithms.HmacSha256));

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        rsa.Dispose();
    }

    private string Sign(Guid tenantId, SigningCredentials credentials) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = TestTokens.Audience,
            Claims = new Dictionary<string, object> { ["sub"] = "user-1", [TestTokens.TenantClaim] = tenantId.ToString() },
            Expires = DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = credentials,
        });
}
