using Billing.Domain.Tenants;

namespace Billing.Application.Common.Exceptions;

/// <summary>Checkout was asked for, but the tenant already has a live subscription: it belongs in the portal.</summary>
public sealed class SubscriptionAlreadyExistsException(TenantId tenantId, string status)
    : Exception($"Tenant {tenantId} already has a subscription ({status}).")
{
    public TenantId TenantId { get; } = tenantId;
}
