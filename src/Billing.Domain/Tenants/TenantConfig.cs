namespace Billing.Domain.Tenants;

/// <summary>A tenant's billing settings as stored by this service.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="StripeCustomerId">The tenant's Stripe customer (<c>cus_…</c>); null until billing is set up.</param>
/// <param name="StripeSubscriptionId">The tenant's current subscription (<c>sub_…</c>), used by the subscription deep links.</param>
/// <param name="PortalConfigurationId">A portal configuration (<c>bpc_…</c>) just for this tenant, overriding the service-wide one.</param>
public sealed record TenantConfig(
    TenantId TenantId,
    string? StripeCustomerId,
    string? StripeSubscriptionId = null,
    string? PortalConfigurationId = null)
{
    /// <summary>Whether the tenant is linked to a Stripe customer that a portal session can be opened for.</summary>
    public bool HasStripeCustomer => !string.IsNullOrWhiteSpace(StripeCustomerId);

    /// <summary>Whether the tenant has a subscription the subscription flows can act on.</summary>
    public bool HasStripeSubscription => !string.IsNullOrWhiteSpace(StripeSubscriptionId);
}
