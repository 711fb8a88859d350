using Billing.Application.Subscriptions;
using Billing.Domain.Tenants;

namespace Billing.Tests.Application.Subscriptions;

public sealed class TenantBillingTests
{
    private static readonly TenantId Tenant = new(Guid.Parse("3c9d1e2f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"));

    [TestCase("cus_Q1w2e3r4t5", ExpectedResult = true)]
    [TestCase(null, ExpectedResult = false)]
    [TestCase("", ExpectedResult = false)]
    [TestCase("   ", ExpectedResult = false)]
    public bool HasStripeCustomer_StoredCustomerId_IsTrueOnlyForANonBlankId(string? stripeCustomerId) =>
        new TenantBilling(Tenant, stripeCustomerId, State: null).HasStripeCustomer;
}
