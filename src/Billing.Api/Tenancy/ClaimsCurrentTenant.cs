using System.Security.Claims;
using Billing.Application.Common.Interfaces;
using Billing.Domain.Tenants;
using Microsoft.Extensions.Options;

namespace Billing.Api.Tenancy;

/// <summary>
/// Reads the tenant from the validated token only: never from the body, the query string or a header,
/// so a user can only ever act for the tenant their identity provider put in their token.
/// </summary>
/// <remarks>
/// One instance per request (scoped). The log scope, the rate limiter, the use case and the audit trail all ask,
/// so the answer is kept together with the principal it was read from, and read again if that principal changes.
/// </remarks>
internal sealed class ClaimsCurrentTenant(IHttpContextAccessor httpContextAccessor, IOptions<TenancyOptions> options) : ICurrentTenant
{
    private (ClaimsPrincipal? User, TenantId? TenantId) lastRead;

    public TenantId? TenantId
    {
        get
        {
            var user = httpContextAccessor.HttpContext?.User;
            if (user is null || !ReferenceEquals(user, lastRead.User))
            {
                lastRead = (user, Read(user));
            }

            return lastRead.TenantId;
        }
    }

    private TenantId? Read(ClaimsPrincipal? user)
    {
        Claim? tenantClaim = null;
        foreach (var claim in user?.FindAll(options.Value.TenantClaim) ?? [])
        {
            if (tenantClaim is not null)
            {
                // A token naming two tenants names none we could trust.
                return null;
            }

            tenantClaim = claim;
        }

        return tenantClaim is not null && Domain.Tenants.TenantId.TryParse(tenantClaim.Value, out var tenantId) ? tenantId : null;
    }
}
