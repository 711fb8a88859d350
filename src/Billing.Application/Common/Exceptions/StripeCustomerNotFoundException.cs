using Billing.Domain.Tenants;

namespace Billing.Application.Common.Exceptions;

/// <summary>The tenant has no Stripe customer a portal session could be opened for.</summary>
public sealed class StripeCustomerNotFoundException(TenantId tenantId, Exception? innerException = null)
    : Exception($"No Stripe customer found for tenant {tenantId}.", innerException)
{
    public TenantId TenantId { get; } = tenantId;
}
