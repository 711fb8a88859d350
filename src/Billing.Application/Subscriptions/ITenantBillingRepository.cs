using Billing.Domain.Tenants;

namespace Billing.Application.Subscriptions;

/// <summary>Tenants' links to Stripe customers and their billing state.</summary>
public interface ITenantBillingRepository
{
    /// <returns>The tenant's customer and state, or null when the tenant has no row.</returns>
    Task<TenantBilling?> FindAsync(TenantId tenantId, CancellationToken cancellationToken);

    /// <returns>The tenant linked to the customer, or null when none is.</returns>
    Task<TenantId?> FindTenantByCustomerAsync(string stripeCustomerId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the state read from Stripe at <see cref="SubscriptionState.SyncedAt"/>, unless the tenant is no longer
    /// linked to that customer or a read that started later is stored already.
    /// </summary>
    /// <returns>Whether the state was stored.</returns>
    Task<bool> SaveStateAsync(TenantId tenantId, string stripeCustomerId, SubscriptionState state, CancellationToken cancellationToken);

    /// <summary>Links the customer to the tenant if the tenant has none; never replaces another customer.</summary>
    Task<CustomerLink> LinkCustomerAsync(TenantId tenantId, string stripeCustomerId, CancellationToken cancellationToken);

    /// <summary>
    /// The tenant's customer; if it has none, runs <paramref name="createCustomer"/> and links what it returns. A per-tenant
    /// lock, shared by every instance, is held meanwhile, so concurrent first callers create one customer between them.
    /// If the link fails after the customer was created, the next caller runs <paramref name="createCustomer"/> again:
    /// it must return the same customer (Stripe's idempotency key does that).
    /// </summary>
    Task<string> GetOrCreateCustomerAsync(TenantId tenantId, Func<CancellationToken, Task<string>> createCustomer, CancellationToken cancellationToken);

    /// <summary>Unlinks the customer from its tenant and clears the tenant's subscription and state.</summary>
    /// <returns>The tenant it was linked to, or null when none was.</returns>
    Task<TenantId?> UnlinkCustomerAsync(string stripeCustomerId, CancellationToken cancellationToken);
}
