using Billing.Application.Checkout;
using Billing.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace Billing.Tests.Application.Checkout;

public sealed class CheckoutRequestValidatorTests
{
    private const string PriceId = "price_team";

    private static readonly CheckoutRequestValidator Validator = new(
        new PlanCatalog(
            Options.Create(new BillingOptions { Plans = [new PlanOptions { PriceId = PriceId, Name = "Team" }] }),
            Mock.Of<IStripePriceGateway>(MockBehavior.Strict),
            NullLogger<PlanCatalog>.Instance),
        ApplicationFixtures.ReturnUrlPolicy());

    [Test]
    public void Validate_OnlyAnOfferedPrice_IsValid() =>
        Assert.That(Validator.Validate(new CheckoutRequest(PriceId)).IsValid, Is.True);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("price_other")]
    [TestCase("PRICE_TEAM")]
    public void Validate_PriceMissingOrNotOffered_FailsOnPriceId(string? priceId) =>
        Assert.That(FailedMembers(new CheckoutRequest(priceId)), Is.EqualTo(new[] { "priceId" }));

    [TestCase(1)]
    [TestCase(CheckoutRequest.MaxQuantity)]
    public void Validate_QuantityAtItsBounds_IsValid(int quantity) =>
        Assert.That(Validator.Validate(new CheckoutRequest(PriceId, quantity)).IsValid, Is.True);

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(CheckoutRequest.MaxQuantity + 1)]
    public void Validate_QuantityOutOfRange_FailsOnQuantity(int quantity) =>
        Assert.That(FailedMembers(new CheckoutRequest(PriceId, quantity)), Is.EqualTo(new[] { "quantity" }));

    [TestCase("https://evil.example/phish")]
    [TestCase("//evil.example")]
    [TestCase("/a\\b")]
    public void Validate_SuccessUrlNotOurs_FailsOnSuccessUrl(string url) =>
        Assert.That(FailedMembers(new CheckoutRequest(PriceId, SuccessUrl: url)), Is.EqualTo(new[] { "successUrl" }));

    [TestCase("https://evil.example/phish")]
    [TestCase("javascript:alert(1)")]
    public void Validate_CancelUrlNotOurs_FailsOnCancelUrl(string url) =>
        Assert.That(FailedMembers(new CheckoutRequest(PriceId, CancelUrl: url)), Is.EqualTo(new[] { "cancelUrl" }));

    [TestCase("auto")]
    [TestCase("fr")]
    [TestCase("pt-BR")]
    [TestCase("es-419")]
    public void Validate_CheckoutLocale_IsValid(string locale) =>
        Assert.That(Validator.Validate(new CheckoutRequest(PriceId, Locale: locale)).IsValid, Is.True);

    // en-AU is a portal locale that Checkout does not have.
    [TestCase("en-AU")]
    [TestCase("FR")]
    [TestCase("xx")]
    public void Validate_LocaleCheckoutDoesNotHave_FailsOnLocale(string locale) =>
        Assert.That(FailedMembers(new CheckoutRequest(PriceId, Locale: locale)), Is.EqualTo(new[] { "locale" }));

    private static IEnumerable<string> FailedMembers(CheckoutRequest request) =>
        Validator.Validate(request).Errors.Select(error => error.PropertyName);
}
