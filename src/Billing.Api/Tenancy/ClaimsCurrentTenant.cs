using Billing.Application.Common.Interfaces;
using Billing.Domain.Tenants;
using Microsoft.Extensions.Options;

namespace Billing.Api.Tenancy;

/// <summary>
/// Reads the tenant from the validated token only: never from the body, the query string or a header,
/// so a user can only ever act for the tenant their identity provider put in their token.
/// </summary>
internal sealed class ClaimsCurrentTenant(IHttpContextAccessor httpContextAccessor, IOptions<TenancyOptions> options) : ICurrentTenant
{
    public TenantId? TenantId
    {
        get
        {
            var claims = httpContextAccessor.HttpContext?.User.FindAll(options.Value.TenantClaim).Take(2).ToList();
            // A token naming two tenants names none we could trust.
            return claims is [var claim] && Domain.Tenants.TenantId.TryParse(claim.Value, out var tenantId) ? tenantId : null;
        }
    }
}
