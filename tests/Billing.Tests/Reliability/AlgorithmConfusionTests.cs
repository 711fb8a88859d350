using System.Net;
using System.Text;
using Billing.Tests.EndToEnd;
using Billing.Tests.Support;

namespace Billing.Tests.Reliability;

/// <summary>
/// The API trusting an OpenID Connect provider's RSA key (through <c>Authority</c>), attacked with HS256 tokens
/// whose HMAC secret is that public key: refused, because a key is only ever used with its own algorithm.
/// </summary>
public sealed class AlgorithmConfusionTests : EndToEndTestBase
{
    private static readonly Guid Tenant = Guid.NewGuid();
    private OidcIssuerFake issuer = null!;

    protected override async Task<IReadOnlyDictionary<string, string?>> ProvideSettingOverridesAsync()
    {
        issuer = await OidcIssuerFake.StartAsync();
        return new Dictionary<string, string?>
        {
            ["Authentication:Schemes:Bearer:Authority"] = issuer.Issuer,
            ["Authentication:Schemes:Bearer:RequireHttpsMetadata"] = "false",
            ["Authentication:Schemes:Bearer:ValidIssuer"] = issuer.Issuer,
            ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = null,
            ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = null,
        };
    }

    [OneTimeSetUp]
    public Task SeedTenant() => TenantSeeder.UpsertAsync(ConnectionString, Tenant, "cus_oidc");

    [OneTimeTearDown]
    public async Task StopIssuer() => await issuer.DisposeAsync();

    [Test]
    public async Task Post_Rs256TokenFromTheProvider_Returns200()
    {
        using var response = await PostAsync(issuer.IssueToken(Tenant));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Stripe.Requests.Single().Form["customer"], Is.EqualTo("cus_oidc"));
        });
    }

    [TestCase("PEM")]
    [TestCase("DER")]
    public async Task Post_Hs256TokenSignedWithThePublicKey_Returns401AndStripeIsNotCalled(string encoding)
    {
        var secret = encoding == "PEM" ? Encoding.UTF8.GetBytes(issuer.PublicKeyPem) : issuer.PublicKeyDer;

        using var response = await PostAsync(issuer.ForgeWithPublicKeyAsHmacSecret(Tenant, secret));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
        Assert.That(Stripe.Requests, Is.Empty);
    }
}
