using Billing.Tests.Support;
using OpenQA.Selenium;

namespace Billing.Tests.Browser;

/// <summary>The sample SPA's "Manage billing" button in Chromium, calling the API across origins.</summary>
public sealed class SpaRedirectFlowTests : BrowserTestBase
{
    private static readonly Guid TenantWithCustomer = Guid.NewGuid();
    private static readonly Guid TenantWithoutCustomer = Guid.NewGuid();

    [OneTimeSetUp]
    public async Task SeedTenants()
    {
        await TenantSeeder.UpsertAsync(ConnectionString, TenantWithCustomer, "cus_browser");
        await TenantSeeder.UpsertAsync(ConnectionString, TenantWithoutCustomer, null);
    }

    [Test]
    public void ManageBilling_TenantWithCustomer_LandsOnThePortalUrlStripeHandedOut()
    {
        ClickManageBilling(Spa.Origin, TestTokens.ForTenant(TenantWithCustomer));

        var landedOn = Browser.WaitFor(driver => driver.Url.StartsWith(Stripe.BaseUrl, StringComparison.Ordinal) ? driver.Url : null);
        Browser.Screenshot("spa-redirect-to-portal");
        Assert.Multiple(() =>
        {
            Assert.That(landedOn, Is.EqualTo(Stripe.IssuedUrls.Single()));
            Assert.That(Browser.Driver.FindElement(By.TagName("h1")).Text, Is.EqualTo("Billing portal"));
            Assert.That(Stripe.Requests.Single().Form["customer"], Is.EqualTo("cus_browser"));
            Assert.That(Stripe.Requests.Single().Form["return_url"], Is.EqualTo($"{Spa.Origin}/?portal=returned"), "back to this page, marked");
        });
    }

    [Test]
    public void ManageBilling_TenantWithoutCustomer_ShowsTheApiErrorAndStays()
    {
        ClickManageBilling(Spa.Origin, TestTokens.ForTenant(TenantWithoutCustomer));

        var error = Browser.WaitFor(driver => driver.FindElement(By.Id("billing-error")) is { Displayed: true } shown ? shown : null);
        Browser.Screenshot("spa-tenant-without-customer");
        Assert.Multiple(() =>
        {
            Assert.That(error.Text, Is.EqualTo("No Stripe customer found for this tenant"));
            Assert.That(Browser.Driver.Url, Does.StartWith(Spa.Origin));
            Assert.That(Stripe.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task ManageBilling_PageOnAnOriginCorsDoesNotAllow_IsRefusedByTheBrowser()
    {
        await using var otherOrigin = await StaticSite.StartAsync(RepositoryPaths.SampleSpa);

        ClickManageBilling(otherOrigin.Origin, TestTokens.ForTenant(TenantWithCustomer));

        var error = Browser.WaitFor(driver => driver.FindElement(By.Id("billing-error")) is { Displayed: true } shown ? shown : null);
        Assert.Multiple(() =>
        {
            Assert.That(error.Text, Is.EqualTo("The billing service could not be reached."));
            Assert.That(Stripe.Requests, Is.Empty, "the preflight fails, so the POST is never sent");
        });
    }

    private void ClickManageBilling(string spaOrigin, string token)
    {
        Browser.Driver.Navigate().GoToUrl($"{spaOrigin}/?api={Uri.EscapeDataString(ApiUrl)}");
        var tokenField = Browser.Driver.FindElement(By.Id("access-token"));
        tokenField.Clear();
        tokenField.SendKeys(token);
        Browser.Driver.FindElement(By.Id("manage-billing")).Click();
    }
}
