using System.Net;
using System.Text;
using Billing.Tests.EndToEnd;
using Billing.Tests.Support;
using Microsoft.IdentityModel.Tokens;

namespace Billing.Tests.Reliability;

/// <summary>
/// Tokens an attacker can make against an API that trusts a shared HS256 key: every one is refused with 401 and the
/// problem body, Stripe is never called, and nothing is audited (a refused token names no tenant we may trust).
/// </summary>
public sealed class AuthenticationAttackTests : EndToEndTestBase
{
    private static readonly Guid Victim = Guid.NewGuid();
    private static readonly Guid Attacker = Guid.NewGuid();
    private static readonly Guid LateUser = Guid.NewGuid();

    [OneTimeSetUp]
    public async Task SeedTenants()
    {
        await TenantSeeder.UpsertAsync(ConnectionString, Victim, "cus_victim");
        await TenantSeeder.UpsertAsync(ConnectionString, Attacker, "cus_attacker");
        await TenantSeeder.UpsertAsync(ConnectionString, LateUser, "cus_late");
    }

    [Test]
    public async Task Post_NoToken_Returns401ProblemWithBearerChallenge()
    {
        using var response = await PostAsync(token: null);

        await AssertRefusedAsync(response, "Bearer");
    }

    [TestCaseSource(nameof(RejectedTokens))]
    public async Task Post_RejectedToken_Returns401ProblemSayingInvalidToken(string token)
    {
        using var response = await PostAsync(token);

        await AssertRefusedAsync(response, "Bearer error=\"invalid_token\"");
    }

    [Test]
    public async Task Post_ValidTokenInTheAccessTokenQueryParameter_Returns401AsIfNoneWasSent()
    {
        // Query strings end up in proxy and server logs; the token is accepted from the Authorization header only.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Endpoint}?access_token={TestTokens.ForTenant(Victim)}");

        using var response = await Client.SendAsync(request);

        await AssertRefusedAsync(response, "Bearer");
    }

    [Test]
    public async Task Post_TokenExpiredJustInsideClockSkew_IsAccepted()
    {
        var token = TestTokens.Create(
            new() { [TestTokens.TenantClaim] = LateUser.ToString() },
            expires: DateTime.UtcNow.AddSeconds(-10), notBefore: DateTime.UtcNow.AddMinutes(-5));

        using var response = await PostAsync(token);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Stripe.Requests.Single().Form["customer"], Is.EqualTo("cus_late"));
        });
    }

    private static IEnumerable<TestCaseData> RejectedTokens()
    {
        var victim = new Dictionary<string, object> { [TestTokens.TenantClaim] = Victim.ToString() };
        yield return new TestCaseData(TestTokens.Unsigned(Victim)).SetArgDisplayNames("alg none");
        yield return new TestCaseData(TamperedTenant()).SetArgDisplayNames("tenant claim swapped after signing");
        yield return new TestCaseData(TestTokens.Create(victim, signingKey: new byte[32])).SetArgDisplayNames("signed with another key");
        yield return new TestCaseData(TestTokens.Create(victim, expires: DateTime.UtcNow.AddSeconds(-45), notBefore: DateTime.UtcNow.AddMinutes(-5)))
            .SetArgDisplayNames("expired beyond the 30 s clock skew");
        yield return new TestCaseData(TestTokens.Create(victim, notBefore: DateTime.UtcNow.AddMinutes(5), expires: DateTime.UtcNow.AddMinutes(10)))
            .SetArgDisplayNames("nbf in the future");
        yield return new TestCaseData(TestTokens.Create(victim, issuer: "https://evil.example")).SetArgDisplayNames("wrong iss");
        yield return new TestCaseData(TestTokens.Create(victim, audience: "another-api")).SetArgDisplayNames("wrong aud");
        yield return new TestCaseData(TestTokens.WithoutExpiry(Victim)).SetArgDisplayNames("no exp");
        yield return new TestCaseData(SignatureStripped()).SetArgDisplayNames("signature removed");
        yield return new TestCaseData("not-a-jwt").SetArgDisplayNames("garbage");
    }

    /// <summary>The attacker's own valid token, with its payload rewritten to name the victim's tenant.</summary>
    private static string TamperedTenant()
    {
        var parts = TestTokens.ForTenant(Attacker).Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]))
            .Replace(Attacker.ToString(), Victim.ToString(), StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }

    private static string SignatureStripped()
    {
        var parts = TestTokens.ForTenant(Victim).Split('.');
        return $"{parts[0]}.{parts[1]}.";
    }

    /// <summary>401 with the problem body and the given challenge; Stripe not called, nothing audited.</summary>
    private async Task AssertRefusedAsync(HttpResponseMessage response, string challenge)
    {
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
        var audit = await AuditRowsAsync(Victim);
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo(challenge));
            Assert.That(Stripe.Requests, Is.Empty);
            Assert.That(audit, Is.Empty);
        });
    }
}
