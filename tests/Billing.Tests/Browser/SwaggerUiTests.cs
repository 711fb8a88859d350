using Billing.Tests.Support;
using OpenQA.Selenium;

namespace Billing.Tests.Browser;

/// <summary>Manual testing as a developer does it: Swagger UI in Chromium, Authorize, Try it out, Execute.</summary>
public sealed class SwaggerUiTests : BrowserTestBase
{
    private static readonly Guid TenantWithCustomer = Guid.NewGuid();

    [OneTimeSetUp]
    public Task SeedTenant() => TenantSeeder.UpsertAsync(ConnectionString, TenantWithCustomer, "cus_swagger");

    [Test]
    public void ExecutePortalRequest_AuthorizedThroughTheDialog_Shows200AndThePortalUrl()
    {
        var driver = Browser.Driver;
        driver.Navigate().GoToUrl($"{ApiUrl}/swagger");

        Browser.WaitFor(d => d.FindElement(By.CssSelector("button.authorize"))).Click();
        var dialog = Browser.WaitFor(d => d.FindElement(By.CssSelector(".modal-ux")));
        dialog.FindElement(By.CssSelector("input")).SendKeys(TestTokens.ForTenant(TenantWithCustomer));
        dialog.FindElement(By.CssSelector("button.modal-btn.authorize")).Click();
        Browser.WaitFor(d => d.FindElement(By.CssSelector(".modal-ux button.btn-done"))).Click();

        var operation = driver.FindElement(By.CssSelector(".opblock.opblock-post:has([data-path='/api/subscriptions/portal'])"));
        operation.FindElement(By.CssSelector(".opblock-summary")).Click();
        Browser.WaitFor(_ => operation.FindElement(By.CssSelector("button.try-out__btn"))).Click();
        Browser.WaitFor(_ => operation.FindElement(By.CssSelector("button.execute"))).Click();

        var status = Browser.WaitFor(_ => operation.FindElement(By.CssSelector(".live-responses-table tr.response .response-col_status")));
        var body = Browser.WaitFor(_ => operation.FindElement(By.CssSelector(".live-responses-table tr.response .response-col_description pre")));
        ((IJavaScriptExecutor)driver).ExecuteScript("arguments[0].scrollIntoView()", status);
        Browser.Screenshot("swagger-ui-execute");
        Assert.Multiple(() =>
        {
            Assert.That(status.Text, Is.EqualTo("200"));
            Assert.That(body.Text, Does.Contain(Stripe.IssuedUrls.Single()));
            Assert.That(Stripe.Requests.Single().Form["customer"], Is.EqualTo("cus_swagger"));
            Assert.That(Stripe.Requests.Single().Form["flow_data[type]"], Is.EqualTo("payment_method_update"),
                "Swagger's example body is a valid request");
        });
    }
}
