using System.Security.Claims;
using Billing.Api.Tenancy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Billing.Tests.Api.Tenancy;

public sealed class ClaimsCurrentTenantTests
{
    private const string TenantGuid = "0b6f1c8e-5a43-4c55-9d0e-6a2f3c1b7d10";

    [Test]
    public void TenantId_OneUuidTenantClaim_IsThatTenant()
    {
        var tenant = ForClaims(new Claim("tenant_id", TenantGuid));

        Assert.That(tenant.TenantId?.Value, Is.EqualTo(Guid.Parse(TenantGuid)));
    }

    [Test]
    public void TenantId_ConfiguredClaimName_IsReadFromThatClaim()
    {
        var tenant = ForClaims(new TenancyOptions { TenantClaim = "org" }, new Claim("org", TenantGuid), new Claim("tenant_id", Guid.NewGuid().ToString()));

        Assert.That(tenant.TenantId?.Value, Is.EqualTo(Guid.Parse(TenantGuid)));
    }

    [Test]
    public void TenantId_NoTenantClaim_IsNull()
    {
        var tenant = ForClaims(new Claim("sub", "user-1"));

        Assert.That(tenant.TenantId, Is.Null);
    }

    [TestCase("acme")]
    [TestCase("' OR 1=1 --")]
    [TestCase("")]
    public void TenantId_TenantClaimNotAUuid_IsNull(string value)
    {
        var tenant = ForClaims(new Claim("tenant_id", value));

        Assert.That(tenant.TenantId, Is.Null);
    }

    [Test]
    public void TenantId_TwoTenantClaims_IsNull()
    {
        var tenant = ForClaims(new Claim("tenant_id", TenantGuid), new Claim("tenant_id", Guid.NewGuid().ToString()));

        Assert.That(tenant.TenantId, Is.Null);
    }

    [Test]
    public void TenantId_NoHttpContext_IsNull()
    {
        var tenant = new ClaimsCurrentTenant(new HttpContextAccessor(), Options.Create(new TenancyOptions()));

        Assert.That(tenant.TenantId, Is.Null);
    }

    [Test]
    public void TenantId_UserReplacedAfterARead_IsReadFromTheNewUser()
    {
        var httpContext = new DefaultHttpContext { User = Principal(new Claim("tenant_id", TenantGuid)) };
        var tenant = new ClaimsCurrentTenant(new HttpContextAccessor { HttpContext = httpContext }, Options.Create(new TenancyOptions()));
        _ = tenant.TenantId;

        httpContext.User = Principal(new Claim("sub", "user-1"));

        Assert.That(tenant.TenantId, Is.Null);
    }

    private static ClaimsPrincipal Principal(params Claim[] claims) => new(new ClaimsIdentity(claims, "Bearer"));

    private static ClaimsCurrentTenant ForClaims(params Claim[] claims) => ForClaims(new TenancyOptions(), claims);

    private static ClaimsCurrentTenant ForClaims(TenancyOptions options, params Claim[] claims)
    {
        var httpContext = new DefaultHttpContext { User = Principal(claims) };
        return new ClaimsCurrentTenant(new HttpContextAccessor { HttpContext = httpContext }, Options.Create(options));
    }
}
