using Billing.Domain.Tenants;

namespace Billing.Application.Common.Interfaces;

/// <summary>The tenant of the authenticated caller, as asserted by their token.</summary>
public interface ICurrentTenant
{
    /// <summary>The caller's tenant, or <see langword="null"/> when the token names none or an unparsable one.</summary>
    TenantId? TenantId { get; }
}
