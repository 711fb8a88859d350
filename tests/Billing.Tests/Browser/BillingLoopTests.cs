using System.Collections.ObjectModel;
using System.Globalization;
using System.Security.Cryptography;
using Billing.Tests.Support;
using OpenQA.Selenium;

namespace Billing.Tests.Browser;

/// <summary>
/// The whole billing loop as a user goes through it, in Chromium: the sample SPA on its own origin, the API on real
/// Kestrel with PostgreSQL, and the Stripe emulator serving Checkout and the portal and sending its signed webhooks to
/// the API. On the way it takes the README's screenshots anew (docs/images).
/// </summary>
[Category("Integration")]
public sealed class BillingLoopTests
{
    // The plans scripts/run-local.sh offers, so that the screenshots show what a developer will see.
    private const string TeamPrice = "price_demo_team";
    private const string BusinessPrice = "price_demo_business";

    private string connectionString = null!;
    private StripeEmulatorHost emulator = null!;
    private StaticSite spa = null!;
    private BillingApiFactory api = null!;
    private string apiUrl = null!;
    private HeadlessChromium browser = null!;

    [OneTimeSetUp]
    public async Task StartEverything()
    {
        connectionString = await PostgresServer.CreateDatabaseAsync();
        spa = await StaticSite.StartAsync(RepositoryPaths.SampleSpa);
        // Each side must know the other's URL: the emulator's port is chosen first, and it starts once the API listens.
        var emulatorPort = UnusedPort.Next();
        var webhookSecret = $"whsec_loop_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";
        api = BillingApiFactory.Create(connectionString, $"http://127.0.0.1:{emulatorPort}", new Dictionary<string, string?>
        {
            ["App:PublicUrl"] = spa.Origin,
            ["Cors:AllowedOrigins:0"] = spa.Origin,
            ["Stripe:WebhookSecrets:0"] = webhookSecret,
            ["Billing:Plans:0:PriceId"] = TeamPrice,
            ["Billing:Plans:0:Name"] = "Team",
            ["Billing:Plans:1:PriceId"] = BusinessPrice,
            ["Billing:Plans:1:Name"] = "Business",
        });
        apiUrl = api.StartOnLoopbackKestrel().ToString().TrimEnd('/');
        var emulatorSettings = new Dictionary<string, string?>(
            StripeEmulatorHost.PriceSettings(0, TeamPrice, "Team", 2900).Concat(StripeEmulatorHost.PriceSettings(1, BusinessPrice, "Business", 9900)))
        {
            ["Emulator:WebhookUrl"] = apiUrl + StripeWebhookSigner.WebhookPath,
            ["Emulator:WebhookSecret"] = webhookSecret,
        };
        emulator = await StripeEmulatorHost.StartAsync(emulatorSettings, emulatorPort);
        browser = HeadlessChromium.Start();
    }

    [OneTimeTearDown]
    public async Task StopEverything()
    {
        browser?.Dispose();
        if (api is not null)
        {
            await api.DisposeAsync();
        }

        if (emulator is not null)
        {
            await emulator.DisposeAsync();
        }

        if (spa is not null)
        {
            await spa.DisposeAsync();
        }

        if (connectionString is not null)
        {
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }

    [Test]
    public async Task Loop_SubscribeThenCancelAtPeriodEndThenCancelNow_SpaShowsEachStateAndOffersSubscribeAgain()
    {
        var tenant = Guid.NewGuid();
        await TenantSeeder.UpsertAsync(connectionString, tenant, stripeCustomerId: null);
        browser.Driver.Navigate().GoToUrl($"{spa.Origin}/settings/billing?api={Uri.EscapeDataString(apiUrl)}");
        browser.Driver.FindElement(By.Id("access-token")).SendKeys(TestTokens.ForTenant(tenant));
        var plans = WaitForPlans();
        SaveForDocs("billing-before");

        // 1. Subscribe to Team: the SPA sends the browser to the emulator's Checkout, and Pay sends it back.
        plans[0].FindElement(By.TagName("button")).Click();
        WaitForPage($"{emulator.BaseUrl}/c/pay/");
        browser.WaitFor(driver => driver.FindElement(By.Id("pay"))).Click();

        // 2. Back on the SPA, the new subscription.
        var status = WaitForStatus("active");
        SaveForDocs("billing-subscribed");
        var customer = (await TenantBilling.ReadAsync(connectionString, tenant))!.CustomerId!;
        var subscription = emulator.Store.SubscriptionsOf(customer).Single();
        Assert.Multiple(() =>
        {
            Assert.That(status.Text, Is.EqualTo("active"));
            Assert.That(Element("subscription-plan").Text, Is.EqualTo("Team, $29.00 / month"));
            Assert.That(Element("plans").Displayed, Is.False, "no second subscription is offered");
        });

        // 3. and 4. Manage billing, then cancel at the period's end in the emulator's portal.
        OpenPortal();
        SaveForDocs("emulator-portal");
        browser.WaitFor(driver => driver.FindElement(By.Id("cancel-at-period-end"))).Click();
        browser.WaitFor(driver => driver.FindElement(By.Id("cancels")) is { Displayed: true } shown ? shown : null);
        browser.Driver.FindElement(By.Id("return")).Click();

        // 5. Back on the SPA, still active, with the date it ends.
        var cancels = browser.WaitFor(driver => driver.FindElement(By.Id("subscription-cancels")) is { Displayed: true } shown ? shown : null);
        Assert.Multiple(() =>
        {
            Assert.That(cancels.Text, Is.EqualTo($"Cancels on {LongDate(subscription.CurrentPeriodEnd)}"));
            Assert.That(Element("subscription-status").Text, Is.EqualTo("active"));
        });

        // 6. Manage billing again, and cancel now.
        OpenPortal();
        browser.WaitFor(driver => driver.FindElement(By.Id("cancel-now"))).Click();
        browser.WaitFor(driver => driver.FindElement(By.Id("status")) is { Text: "canceled" } shown ? shown : null);
        browser.Driver.FindElement(By.Id("return")).Click();

        // 7. Back on the SPA: canceled, and Subscribe is offered again.
        WaitForStatus("canceled");
        var offeredAgain = WaitForPlans();
        Assert.Multiple(() =>
        {
            Assert.That(offeredAgain.Select(plan => plan.FindElement(By.TagName("button")).Text), Is.EqualTo(new[] { "Subscribe", "Subscribe" }));
            Assert.That(Element("subscription-cancels").Displayed, Is.False, "it has ended; it no longer cancels");
        });

        // The emulator told the API about each step, signed, and the API processed each event.
        string[] steps = ["checkout.session.completed", "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted"];
        var events = await Eventually.ReadUntilAsync(
            () => StripeEventRows.ReadAllAsync(connectionString),
            rows => steps.All(step => rows.Any(row => row.Type == step)) && rows.All(row => row.State != "pending"),
            "an event of each step, and none pending",
            StripeEventRows.DefaultWait);
        Assert.That(events.Where(row => steps.Contains(row.Type)).Select(row => row.State), Has.All.EqualTo("processed"));
    }

    // The SPA's page is in English: "March 14, 2027", in the browser's time zone, which is this machine's.
    private static string LongDate(DateTimeOffset moment) =>
        moment.ToLocalTime().ToString("MMMM d, yyyy", CultureInfo.GetCultureInfo("en-US"));

    private IWebElement Element(string id) => browser.Driver.FindElement(By.Id(id));

    private ReadOnlyCollection<IWebElement> WaitForPlans() =>
        browser.WaitFor(driver => driver.FindElements(By.CssSelector("#plan-list li")) is { Count: 2 } plans && driver.FindElement(By.Id("plans")).Displayed ? plans : null);

    private IWebElement WaitForStatus(string expected) =>
        browser.WaitFor(driver => driver.FindElement(By.Id("subscription-status")) is { Displayed: true } shown && shown.Text == expected ? shown : null);

    private void WaitForPage(string urlPrefix) =>
        browser.WaitFor(driver => driver.Url.StartsWith(urlPrefix, StringComparison.Ordinal) ? driver.Url : null);

    private void OpenPortal()
    {
        browser.WaitFor(driver => driver.FindElement(By.Id("manage-billing")) is { Enabled: true } button ? button : null).Click();
        WaitForPage($"{emulator.BaseUrl}/p/session/");
        browser.WaitFor(driver => driver.FindElement(By.Id("status")));
    }

    /// <summary>Saves what the browser shows as docs/images/<paramref name="name"/>.png, for the README, replacing the last run's.</summary>
    private void SaveForDocs(string name) =>
        File.Copy(browser.Screenshot(name), Path.Combine(Directory.CreateDirectory(RepositoryPaths.DocsImages).FullName, $"{name}.png"), overwrite: true);
}
