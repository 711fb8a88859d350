using System.Security.Claims;
using Billing.Api.Tenancy;
using Billing.Application.PortalSessions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Billing.Api.Authorization;

internal sealed class PortalRoleHandler(IOptions<PortalOptions> portalOptions, IOptions<TenancyOptions> tenancyOptions)
    : AuthorizationHandler<PortalRoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PortalRoleRequirement requirement)
    {
        var required = portalOptions.Value.RequiredRoles;
        if (required.Length == 0 || RolesOf(context.User).Any(role => required.Contains(role, StringComparer.Ordinal)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A JSON array claim arrives as one claim per element, OAuth-style scopes as one space-separated string;
    /// both, and repeated claims, are read the same way.
    /// </summary>
    private IEnumerable<string> RolesOf(ClaimsPrincipal user) => user.FindAll(tenancyOptions.Value.RoleClaim)
        .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
