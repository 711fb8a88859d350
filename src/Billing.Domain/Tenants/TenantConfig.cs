namespace Billing.Domain.Tenants;

/// <summary>A tenant's billing settings as stored by this service.</summary>
public sealed record TenantConfig(TenantId TenantId, string? StripeCustomerId)
{
    /// <summary>Whether the tenant is linked to a Stripe customer that a portal session can be opened for.</summary>
    public bool HasStripeCustomer => !string.IsNullOrWhiteSpace(StripeCustomerId);
}
