namespace Billing.Application.Subscriptions;

/// <summary>What became of a request to link a Stripe customer to a tenant.</summary>
public enum CustomerLink
{
    /// <summary>The tenant had no customer and now has this one.</summary>
    Linked,

    /// <summary>The tenant already had this very customer.</summary>
    AlreadyLinked,

    /// <summary>The tenant has another customer, which stays: replacing it is a person's decision.</summary>
    TenantHasAnotherCustomer,

    /// <summary>The customer belongs to another tenant, which keeps it.</summary>
    CustomerHasAnotherTenant,
}
