using System.Collections.ObjectModel;
using Billing.Tests.Support;
using Microsoft.AspNetCore.WebUtilities;
using OpenQA.Selenium;

namespace Billing.Tests.Browser;

/// <summary>
/// The sample SPA's "Current plan" and "Subscribe" in Chromium: the state from the API, the plans priced by the Stripe
/// fake, Checkout's redirect, and the way back from Checkout and from the portal.
/// </summary>
public sealed class SpaCheckoutFlowTests : BrowserTestBase
{
    private const string TeamPrice = "price_spa_team";
    private const string BusinessPrice = "price_spa_business";

    protected override IReadOnlyDictionary<string, string?> SettingOverrides { get; } = new Dictionary<string, string?>
    {
        ["Billing:Plans:0:PriceId"] = TeamPrice,
        ["Billing:Plans:0:Name"] = "Team",
        ["Billing:Plans:1:PriceId"] = BusinessPrice,
        ["Billing:Plans:1:Name"] = "Business",
    };

    // The API reads each plan's price from Stripe once per process, on the first plans request of whichever test
    // runs first; the fake forgets prices at every reset, so each test offers them again before the SPA asks.
    [SetUp]
    public void OfferPlans()
    {
        Stripe.SetPrice(TeamPrice, 1900);
        Stripe.SetPrice(BusinessPrice, 4900);
    }

    [Test]
    public async Task Subscribe_SecondPlanForTenantWithoutCustomer_LandsOnTheFakesCheckoutWithTheTenantsNewCustomerAndThatPrice()
    {
        var tenant = Guid.NewGuid();
        await TenantSeeder.UpsertAsync(ConnectionString, tenant, stripeCustomerId: null);
        OpenSpa(tenant);

        WaitForPlans(count: 2)[1].FindElement(By.TagName("button")).Click();

        var landedOn = Browser.WaitFor(driver => driver.Url.StartsWith(Stripe.BaseUrl, StringComparison.Ordinal) ? driver.Url : null);
        Browser.Screenshot("spa-subscribe-to-checkout");
        var linkedCustomer = (await TenantBilling.ReadAsync(ConnectionString, tenant))?.CustomerId;
        Assert.Multiple(() =>
        {
            Assert.That(landedOn, Does.StartWith($"{Stripe.BaseUrl}/c/pay/cs_test_"));
            Assert.That(Browser.Driver.FindElement(By.TagName("h1")).Text, Is.EqualTo("Checkout"), "the emulator's Checkout page");
            Assert.That(Stripe.Customers.Select(customer => customer.Id), Has.Member(linkedCustomer), "the customer checkout created");
            Assert.That(Element("customer").Text, Does.Contain(linkedCustomer));
            Assert.That(Element("plan").Text, Does.StartWith($"Product of {BusinessPrice},"));
            Assert.That(Stripe.CheckoutRequests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task Plans_TenantWithoutCustomer_ShowsNoSubscriptionAndEachPlanWithItsPrice()
    {
        var tenant = Guid.NewGuid();
        await TenantSeeder.UpsertAsync(ConnectionString, tenant, stripeCustomerId: null);
        OpenSpa(tenant);

        var plans = WaitForPlans(count: 2);
        Browser.Screenshot("spa-plans");
        Assert.Multiple(() =>
        {
            Assert.That(Element("no-subscription").Displayed, Is.True);
            Assert.That(Element("subscription").Displayed, Is.False);
            Assert.That(plans.Select(PlanText), Is.EqualTo(new[] { "Team $19.00 / month Subscribe", "Business $49.00 / month Subscribe" }));
            Assert.That(Element("billing-error").Displayed, Is.False, "a 404 of current is no subscription, not an error");
        });
    }

    [Test]
    public async Task CurrentPlan_LiveSubscriptionStored_ShowsItsStatusAndOffersNoSubscribeButton()
    {
        var tenant = Guid.NewGuid();
        var subscription = new FakeSubscription("sub_spa_live", "past_due", DateTimeOffset.UtcNow.AddDays(-10)) { PriceId = TeamPrice };
        await TenantBilling.SyncedFrom("cus_spa_live", subscription).WriteAsync(ConnectionString, tenant);
        OpenSpa(tenant);

        var status = WaitForShown("subscription-status");
        Browser.Screenshot("spa-current-plan-live");
        Assert.Multiple(() =>
        {
            Assert.That(status.Text, Is.EqualTo("past due"));
            Assert.That(Element("subscription-plan").Text, Is.EqualTo("Team, $19.00 / month"));
            Assert.That(Element("plans").Displayed, Is.False);
            Assert.That(Browser.Driver.FindElements(By.XPath("//button[normalize-space()='Subscribe']")), Is.Empty);
        });
    }

    [Test]
    public async Task CurrentPlan_SubscriptionCancellingAtPeriodEnd_SaysOnWhichDateItEnds()
    {
        var tenant = Guid.NewGuid();
        // Noon UTC is the same date in every time zone the browser may run in.
        var periodEnd = new DateTimeOffset(2027, 3, 14, 12, 0, 0, TimeSpan.Zero);
        var subscription = new FakeSubscription("sub_spa_ending", "active", periodEnd.AddDays(-30))
        {
            CurrentPeriodEnd = periodEnd,
            CancelAtPeriodEnd = true,
        };
        await TenantBilling.SyncedFrom("cus_spa_ending", subscription).WriteAsync(ConnectionString, tenant);
        OpenSpa(tenant);

        var cancels = WaitForShown("subscription-cancels");

        Assert.That(cancels.Text, Is.EqualTo("Cancels on March 14, 2027"));
    }

    [Test]
    public async Task CurrentPlan_CanceledSubscription_ShowsItsStatusAndOffersThePlansAgain()
    {
        var tenant = Guid.NewGuid();
        var subscription = new FakeSubscription("sub_spa_canceled", "canceled", DateTimeOffset.UtcNow.AddDays(-40)) { PriceId = TeamPrice };
        await TenantBilling.SyncedFrom("cus_spa_canceled", subscription).WriteAsync(ConnectionString, tenant);
        OpenSpa(tenant);

        var plans = WaitForPlans(count: 2);

        Assert.Multiple(() =>
        {
            Assert.That(Element("subscription-status").Text, Is.EqualTo("canceled"));
            Assert.That(Element("subscription-cancels").Displayed, Is.False, "it no longer cancels: it has ended");
            Assert.That(plans.Select(PlanText), Has.All.EndsWith("Subscribe"));
        });
    }

    [Test]
    public async Task ReturnFromPortal_Marked_SyncsFromStripeAndShowsTheSyncedStatus()
    {
        var tenant = Guid.NewGuid();
        var stored = new FakeSubscription("sub_spa_portal", "active", DateTimeOffset.UtcNow.AddDays(-3));
        await TenantBilling.SyncedFrom("cus_spa_portal", stored).WriteAsync(ConnectionString, tenant);
        Stripe.SetSubscriptions("cus_spa_portal", stored with { Status = "canceled" });
        OpenSpa(tenant, "&portal=returned");

        var status = WaitForShown("subscription-status");

        Assert.Multiple(() =>
        {
            Assert.That(status.Text, Is.EqualTo("canceled"), "stored was active: only a sync knows it");
            Assert.That(Stripe.SubscriptionListCalls("cus_spa_portal"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ReturnFromPortal_Marked_RemovesTheMarkerAndKeepsTheApiOverride()
    {
        var tenant = Guid.NewGuid();
        await TenantSeeder.UpsertAsync(ConnectionString, tenant, "cus_spa_portal_clean");
        OpenSpa(tenant, "&portal=returned");

        var query = Browser.WaitFor(driver =>
            driver.Url.Contains("portal=", StringComparison.Ordinal) ? null : QueryHelpers.ParseQuery(new Uri(driver.Url).Query));

        Assert.Multiple(() =>
        {
            Assert.That(query.Keys, Is.EquivalentTo(new[] { "api" }));
            Assert.That(Stripe.SubscriptionListCalls("cus_spa_portal_clean"), Is.EqualTo(1), "removed after the sync, not instead of it");
        });
    }

    [Test]
    public async Task ReturnFromCheckout_Success_SyncsFromStripeAndShowsTheSyncedStatus()
    {
        var tenant = Guid.NewGuid();
        await TenantSeeder.UpsertAsync(ConnectionString, tenant, "cus_spa_back");
        Stripe.SetSubscriptions("cus_spa_back", new FakeSubscription("sub_spa_back", "trialing", DateTimeOffset.UtcNow));
        OpenSpa(tenant, "&checkout=success&session_id=cs_test_back");

        var status = WaitForShown("subscription-status");
        Browser.Screenshot("spa-back-from-checkout");
        Assert.Multiple(() =>
        {
            Assert.That(status.Text, Is.EqualTo("trialing"), "stored was none: only a sync knows it");
            Assert.That(Stripe.SubscriptionListCalls("cus_spa_back"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ReturnFromCheckout_Success_RemovesTheCheckoutParametersAndKeepsTheApiOverride()
    {
        var tenant = Guid.NewGuid();
        await TenantSeeder.UpsertAsync(ConnectionString, tenant, "cus_spa_clean");
        OpenSpa(tenant, "&checkout=success&session_id=cs_test_clean");

        var query = Browser.WaitFor(driver =>
            driver.Url.Contains("checkout=", StringComparison.Ordinal) ? null : QueryHelpers.ParseQuery(new Uri(driver.Url).Query));

        Assert.Multiple(() =>
        {
            Assert.That(query.Keys, Is.EquivalentTo(new[] { "api" }));
            Assert.That(query["api"].ToString(), Is.EqualTo(ApiUrl));
            Assert.That(Stripe.SubscriptionListCalls("cus_spa_clean"), Is.EqualTo(1), "removed after the sync, not instead of it");
        });
    }

    [Test]
    public async Task ReturnFromCheckout_Cancelled_ShowsTheStoredStateWithoutSyncing()
    {
        var tenant = Guid.NewGuid();
        var stored = new FakeSubscription("sub_spa_cancelled", "active", DateTimeOffset.UtcNow.AddDays(-3));
        await TenantBilling.SyncedFrom("cus_spa_cancelled", stored).WriteAsync(ConnectionString, tenant);
        Stripe.SetSubscriptions("cus_spa_cancelled", stored with { Status = "past_due" });
        OpenSpa(tenant, "&checkout=cancelled");

        var status = WaitForShown("subscription-status");

        Assert.Multiple(() =>
        {
            Assert.That(status.Text, Is.EqualTo("active"));
            Assert.That(Stripe.SubscriptionListCalls("cus_spa_cancelled"), Is.Zero);
        });
    }

    private static string PlanText(IWebElement plan) =>
        string.Join(' ', plan.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private IWebElement Element(string id) => Browser.Driver.FindElement(By.Id(id));

    private IWebElement WaitForShown(string id) =>
        Browser.WaitFor(driver => driver.FindElement(By.Id(id)) is { Displayed: true } shown ? shown : null);

    private ReadOnlyCollection<IWebElement> WaitForPlans(int count) =>
        Browser.WaitFor(driver => driver.FindElements(By.CssSelector("#plan-list li")) is var plans && plans.Count == count ? plans : null);

    /// <summary>Opens the SPA against this fixture's API and pastes the tenant's token, which makes it load the billing state.</summary>
    private void OpenSpa(Guid tenant, string extraQuery = "")
    {
        Browser.Driver.Navigate().GoToUrl($"{Spa.Origin}/?api={Uri.EscapeDataString(ApiUrl)}{extraQuery}");
        var tokenField = Browser.Driver.FindElement(By.Id("access-token"));
        tokenField.Clear();
        tokenField.SendKeys(TestTokens.ForTenant(tenant));
    }
}
