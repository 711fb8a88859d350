using System.Net;
using Billing.Tests.Support;

namespace Billing.Tests.EndToEnd;

/// <summary>A deployment that requires a billing role and allows three sessions per tenant per minute.</summary>
public sealed class PortalGovernanceTests : EndToEndTestBase
{
    private const string Role = "billing_admin";

    protected override IReadOnlyDictionary<string, string?> SettingOverrides { get; } = new Dictionary<string, string?>
    {
        ["Portal:RequiredRoles:0"] = Role,
        ["Portal:RateLimit:PermitLimit"] = "3",
        ["Portal:RateLimit:WindowSeconds"] = "60",
    };

    [Test]
    public async Task Post_UserWithoutTheRole_Returns403ForbiddenAuditsItAndNeverCallsStripe()
    {
        var tenant = await SeededTenantAsync();

        using var response = await PostAsync(TestTokens.ForTenant(tenant, "viewer"));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "Forbidden");
        var audit = await AuditRowsAsync(tenant);
        Assert.Multiple(() =>
        {
            Assert.That(Stripe.Requests, Is.Empty);
            Assert.That(audit.Select(row => row.Outcome), Is.EqualTo(new[] { "forbidden" }));
        });
    }

    [Test]
    public async Task Post_UserWithTheRoleInAJsonArrayClaim_Returns200()
    {
        using var response = await PostAsync(TestTokens.ForTenant(await SeededTenantAsync(), "viewer", Role));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Post_UserWithTheRoleInASpaceSeparatedClaim_Returns200()
    {
        var token = TestTokens.Create(new() { [TestTokens.TenantClaim] = (await SeededTenantAsync()).ToString(), ["roles"] = $"viewer {Role}" });

        using var response = await PostAsync(token);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task GetAudit_UserWithoutTheRole_Returns403Forbidden()
    {
        using var response = await GetAuditAsync(TestTokens.ForTenant(Guid.NewGuid(), "viewer"));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "Forbidden");
    }

    [Test]
    public async Task Post_TenantOverItsLimit_Returns429WithRetryAfterAndAuditsRateLimited()
    {
        var tenant = await SeededTenantAsync();
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await PostAsync(TestTokens.ForTenant(tenant, Role));
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var response = await PostAsync(TestTokens.ForTenant(tenant, Role));

        await AssertProblemAsync(response, HttpStatusCode.TooManyRequests, "Too many requests");
        var audit = await AuditRowsAsync(tenant);
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(Stripe.Requests, Has.Count.EqualTo(3));
            Assert.That(audit[^1].Outcome, Is.EqualTo("rate_limited"));
        });
    }

    [Test]
    public async Task Post_OneTenantOverItsLimit_LeavesOtherTenantsUnaffected()
    {
        var noisy = await SeededTenantAsync();
        var quiet = await SeededTenantAsync();
        var noisyStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var noise = await PostAsync(TestTokens.ForTenant(noisy, Role));
            noisyStatuses.Add(noise.StatusCode);
        }

        using var response = await PostAsync(TestTokens.ForTenant(quiet, Role));

        Assert.Multiple(() =>
        {
            // Without the limit in force, the quiet tenant's 200 would prove nothing.
            Assert.That(noisyStatuses[^1], Is.EqualTo(HttpStatusCode.TooManyRequests), "the noisy tenant was limited");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Post_SameUserSwitchingTenantClaimInTheBody_StillCountsAgainstTheTokensTenant()
    {
        var tenant = await SeededTenantAsync();
        for (var i = 0; i < 3; i++)
        {
            (await PostAsync(TestTokens.ForTenant(tenant, Role))).Dispose();
        }

        using var response = await PostAsync(TestTokens.ForTenant(tenant, Role), $$"""{"tenantId":"{{Guid.NewGuid()}}"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
    }

    private async Task<Guid> SeededTenantAsync()
    {
        var tenant = Guid.NewGuid();
        await TenantSeeder.UpsertAsync(ConnectionString, tenant, $"cus_{tenant:N}");
        return tenant;
    }
}
