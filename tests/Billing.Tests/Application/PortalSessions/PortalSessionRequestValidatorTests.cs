using Billing.Application.PortalSessions;
using Billing.Tests.Support;

namespace Billing.Tests.Application.PortalSessions;

public sealed class PortalSessionRequestValidatorTests
{
    private readonly PortalSessionRequestValidator validator = new(ApplicationFixtures.ReturnUrlPolicy());

    [Test]
    public void Validate_EmptyRequest_IsValid()
    {
        Assert.That(validator.Validate(PortalSessionRequest.Empty).IsValid, Is.True);
    }

    [Test]
    public void Validate_EveryOptionSetWell_IsValid()
    {
        var request = new PortalSessionRequest("https://app.example.com/settings/billing?tab=invoices", "payment_method_update", "fr");

        Assert.That(validator.Validate(request).IsValid, Is.True);
    }

    [TestCase("payment_method_update")]
    [TestCase("subscription_cancel")]
    [TestCase("subscription_update")]
    public void Validate_KnownFlow_IsValid(string flow)
    {
        Assert.That(validator.Validate(new PortalSessionRequest(Flow: flow)).IsValid, Is.True);
    }

    [TestCase("")]
    [TestCase("PAYMENT_METHOD_UPDATE")]
    [TestCase("subscription_pause")]
    [TestCase("subscription_update_confirm")]
    public void Validate_UnknownFlow_FailsOnFlow(string flow)
    {
        AssertFailsOnlyOn(new PortalSessionRequest(Flow: flow), "flow");
    }

    [TestCase("auto")]
    [TestCase("en")]
    [TestCase("pt-BR")]
    [TestCase("es-419")]
    [TestCase("zh-TW")]
    [TestCase("fil")]
    public void Validate_LocaleStripeSupports_IsValid(string locale)
    {
        Assert.That(validator.Validate(new PortalSessionRequest(Locale: locale)).IsValid, Is.True);
    }

    [TestCase("")]
    [TestCase("klingon")]
    [TestCase("EN")]
    [TestCase("pt_BR")]
    [TestCase("en-US")]
    [TestCase("fr'; DROP TABLE tenant_config; --")]
    public void Validate_LocaleStripeDoesNotSupport_FailsOnLocale(string locale)
    {
        AssertFailsOnlyOn(new PortalSessionRequest(Locale: locale), "locale");
    }

    [TestCase("https://evil.example/")]
    [TestCase("//evil.example")]
    [TestCase("javascript:alert(1)")]
    public void Validate_ForeignReturnUrl_FailsOnReturnUrl(string returnUrl)
    {
        AssertFailsOnlyOn(new PortalSessionRequest(ReturnUrl: returnUrl), "returnUrl");
    }

    [Test]
    public void Validate_UnknownFlow_ListsTheFlowsThatExist()
    {
        var error = validator.Validate(new PortalSessionRequest(Flow: "nope")).Errors.Single();

        Assert.That(error.ErrorMessage, Is.EqualTo("flow must be one of: payment_method_update, subscription_cancel, subscription_update."));
    }

    [Test]
    public void Validate_EverythingWrong_ReportsEachFieldByItsJsonName()
    {
        var result = validator.Validate(new PortalSessionRequest("https://evil.example/", "nope", "xx"));

        Assert.That(result.Errors.Select(error => error.PropertyName), Is.EquivalentTo(new[] { "returnUrl", "flow", "locale" }));
    }

    private void AssertFailsOnlyOn(PortalSessionRequest request, string field)
    {
        var result = validator.Validate(request);

        Assert.That(result.Errors.Select(error => error.PropertyName), Is.EqualTo(new[] { field }));
    }
}
