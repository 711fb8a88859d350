using System.Security.Claims;
using Billing.Api.Authorization;
using Billing.Api.Tenancy;
using Billing.Application.PortalSessions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Billing.Tests.Api.Authorization;

public sealed class PortalRoleHandlerTests
{
    [Test]
    public async Task Handle_NoRolesRequired_LetsAnyAuthenticatedUserIn()
    {
        Assert.That(await IsAllowedAsync([], new Claim("sub", "user-1")), Is.True);
    }

    [Test]
    public async Task Handle_RequiredRoleAsOneOfRepeatedClaims_LetsTheUserIn()
    {
        Assert.That(await IsAllowedAsync(["billing_admin"], new Claim("roles", "viewer"), new Claim("roles", "billing_admin")), Is.True);
    }

    [Test]
    public async Task Handle_RequiredRoleInASpaceSeparatedClaim_LetsTheUserIn()
    {
        Assert.That(await IsAllowedAsync(["billing_admin"], new Claim("roles", "viewer billing_admin")), Is.True);
    }

    [Test]
    public async Task Handle_AnyOneOfSeveralRequiredRoles_LetsTheUserIn()
    {
        Assert.That(await IsAllowedAsync(["owner", "billing_admin"], new Claim("roles", "owner")), Is.True);
    }

    [Test]
    public async Task Handle_ConfiguredRoleClaim_IsTheOneRead()
    {
        Assert.That(await IsAllowedAsync(["billing_admin"], "groups", new Claim("groups", "billing_admin")), Is.True);
    }

    [Test]
    public async Task Handle_UserWithoutTheRole_IsRefused()
    {
        Assert.That(await IsAllowedAsync(["billing_admin"], new Claim("roles", "viewer")), Is.False);
    }

    [Test]
    public async Task Handle_UserWithoutAnyRole_IsRefused()
    {
        Assert.That(await IsAllowedAsync(["billing_admin"], new Claim("sub", "user-1")), Is.False);
    }

    [TestCase("Billing_Admin")]
    [TestCase("billing_admin_x")]
    [TestCase("billing")]
    public async Task Handle_RoleThatOnlyLooksAlike_IsRefused(string role)
    {
        Assert.That(await IsAllowedAsync(["billing_admin"], new Claim("roles", role)), Is.False);
    }

    [Test]
    public async Task Handle_RoleInAnotherClaim_IsRefused()
    {
        Assert.That(await IsAllowedAsync(["billing_admin"], new Claim("scope", "billing_admin")), Is.False);
    }

    private static Task<bool> IsAllowedAsync(string[] requiredRoles, params Claim[] claims) =>
        IsAllowedAsync(requiredRoles, "roles", claims);

    private static async Task<bool> IsAllowedAsync(string[] requiredRoles, string roleClaim, params Claim[] claims)
    {
        var handler = new PortalRoleHandler(
            Options.Create(new PortalOptions { RequiredRoles = requiredRoles }),
            Options.Create(new TenancyOptions { RoleClaim = roleClaim }));
        var requirement = new PortalRoleRequirement();
        var context = new AuthorizationHandlerContext([requirement], new ClaimsPrincipal(new ClaimsIdentity(claims, "Bearer")), resource: null);

        await handler.HandleAsync(context);

        return context.HasSucceeded;
    }
}
