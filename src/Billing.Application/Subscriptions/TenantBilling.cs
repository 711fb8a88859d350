using Billing.Domain.Tenants;

namespace Billing.Application.Subscriptions;

/// <summary>A tenant's link to Stripe and its billing state as stored.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="StripeCustomerId">Its Stripe customer; null or empty when it has none.</param>
/// <param name="State">Its subscription as last read from Stripe; null if it never was.</param>
public sealed record TenantBilling(TenantId TenantId, string? StripeCustomerId, SubscriptionState? State)
{
    public bool HasStripeCustomer => !string.IsNullOrWhiteSpace(StripeCustomerId);
}
