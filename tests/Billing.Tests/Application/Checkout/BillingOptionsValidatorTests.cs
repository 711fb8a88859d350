using Billing.Application.Checkout;

namespace Billing.Tests.Application.Checkout;

public sealed class BillingOptionsValidatorTests
{
    private static readonly BillingOptionsValidator Validator = new();

    [Test]
    public void Validate_NoPlans_Succeeds() =>
        Assert.That(Validator.Validate(null, new BillingOptions()).Succeeded, Is.True);

    [Test]
    public void Validate_DistinctNamedPrices_Succeeds() =>
        Assert.That(Validator.Validate(null, Options(("price_a", "A"), ("price_b", "B"))).Succeeded, Is.True);

    [TestCase("prod_a")]
    [TestCase("")]
    [TestCase("price_a b")]
    public void Validate_NotAPriceId_FailsNamingTheKey(string priceId) =>
        Assert.That(Validator.Validate(null, Options((priceId, "A"))).FailureMessage, Does.Contain("Billing:Plans:n:PriceId"));

    [TestCase("")]
    [TestCase("  ")]
    public void Validate_BlankName_FailsNamingTheKey(string name) =>
        Assert.That(Validator.Validate(null, Options(("price_a", name))).FailureMessage, Does.Contain("Billing:Plans:n:Name"));

    [Test]
    public void Validate_SamePriceTwice_Fails() =>
        Assert.That(Validator.Validate(null, Options(("price_a", "A"), ("price_a", "B"))).FailureMessage, Does.Contain("same PriceId twice"));

    private static BillingOptions Options(params (string PriceId, string Name)[] plans) =>
        new() { Plans = [.. plans.Select(plan => new PlanOptions { PriceId = plan.PriceId, Name = plan.Name })] };
}
