using Billing.Domain.Tenants;

namespace Billing.Application.Common.Exceptions;

/// <summary>A subscription flow was asked for, but the tenant has no Stripe subscription on record.</summary>
public sealed class StripeSubscriptionNotFoundException(TenantId tenantId)
    : Exception($"No Stripe subscription found for tenant {tenantId}.")
{
    public TenantId TenantId { get; } = tenantId;
}
