using System.Net;
using Billing.Tests.Support;
using Stripe.Checkout;

namespace Billing.Tests.Tools.StripeEmulator;

/// <summary>The hosted Checkout page (<c>/c/pay/{id}</c>) as a browser without JavaScript uses it.</summary>
[Category("Integration")]
public sealed class CheckoutPageTests
{
    private const string Customer = "cus_checkout_page";
    private const string SuccessUrl = "https://app.example.com/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}";

    // The last day of a month: a month later is the last day of the next, as Stripe bills it.
    private static readonly DateTimeOffset Now = new(2026, 1, 31, 10, 0, 0, TimeSpan.Zero);

    private StripeEmulatorHost emulator = null!;

    [OneTimeSetUp]
    public async Task StartEmulator() =>
        emulator = await StripeEmulatorHost.StartAsync(
            new Dictionary<string, string?>(StripeEmulatorHost.PriceSettings(0, "price_team", "Team", 2900)), time: new ManualTimeProvider(Now));

    [OneTimeTearDown]
    public async Task StopEmulator() => await emulator.DisposeAsync();

    [SetUp]
    public void ForgetState()
    {
        emulator.Store.Reset();
        emulator.Store.PutCustomer(Customer, email: "ada@example.com");
    }

    [Test]
    public async Task Show_OpenSession_ShowsThePlanTheCustomerPayAndCancel()
    {
        var session = await OpenSessionAsync("price_team");

        var (status, html) = await emulator.GetPageAsync(PathOf(session));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(html, Does.Contain("<title>Checkout</title>"));
            Assert.That(html, Does.Contain("<p id=\"plan\">Team, 29.00 USD per month</p>"));
            Assert.That(html, Does.Contain($"<p id=\"customer\">ada@example.com ({Customer})</p>"));
            Assert.That(html, Does.Contain("<button id=\"pay\" type=\"submit\">Pay</button>"));
            Assert.That(html, Does.Contain("<a id=\"cancel\" href=\"https://app.example.com/billing?checkout=cancel\">"));
        });
    }

    [Test]
    public async Task Show_ProductNameWithMarkup_ShowsItEncoded()
    {
        emulator.Store.PutPrice("price_markup", "<script>alert(1)</script>", 100);
        var session = await OpenSessionAsync("price_markup");

        var (_, html) = await emulator.GetPageAsync(PathOf(session));

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Not.Contain("<script>"));
            Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;"));
        });
    }

    [Test]
    public async Task Show_UnknownSession_Answers404()
    {
        var (status, _) = await emulator.GetPageAsync("/c/pay/cs_test_unknown");

        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Pay_OpenSession_StartsAnActiveSubscriptionForOneIntervalAndCompletesTheSession()
    {
        var session = await OpenSessionAsync("price_team");

        using var response = await emulator.SubmitAsync(PathOf(session));

        var subscription = emulator.Store.SubscriptionsOf(Customer).Single();
        Assert.Multiple(() =>
        {
            Assert.That((subscription.Status, subscription.Price.Id, subscription.Quantity), Is.EqualTo(("active", "price_team", 2L)));
            Assert.That((subscription.CurrentPeriodStart, subscription.CurrentPeriodEnd), Is.EqualTo((Now, new DateTimeOffset(2026, 2, 28, 10, 0, 0, TimeSpan.Zero))));
            Assert.That(subscription.Metadata, Is.EqualTo(new Dictionary<string, string> { ["tenant_id"] = "tenant-1" }));
            Assert.That(emulator.Store.FindCheckoutSession(session.Id), Has.Property("Status").EqualTo("complete").And.Property("SubscriptionId").EqualTo(subscription.Id));
        });
    }

    [Test]
    public async Task Pay_OpenSession_RedirectsToTheSuccessUrlWithTheSessionId()
    {
        var session = await OpenSessionAsync("price_team");

        using var response = await emulator.SubmitAsync(PathOf(session));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"https://app.example.com/billing?checkout=success&session_id={session.Id}"));
        });
    }

    [Test]
    public async Task Pay_SessionAlreadyPaid_StartsNoSecondSubscription()
    {
        var session = await OpenSessionAsync("price_team");
        using var first = await emulator.SubmitAsync(PathOf(session));

        using var second = await emulator.SubmitAsync(PathOf(session));

        Assert.Multiple(() =>
        {
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
            Assert.That(emulator.Store.SubscriptionsOf(Customer), Has.Count.EqualTo(1));
        });
    }

    private async Task<Session> OpenSessionAsync(string price) =>
        await new SessionService(emulator.CreateStripeClient()).CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = Customer,
            LineItems = [new SessionLineItemOptions { Price = price, Quantity = 2 }],
            SubscriptionData = new SessionSubscriptionDataOptions { Metadata = new() { ["tenant_id"] = "tenant-1" } },
            SuccessUrl = SuccessUrl,
            CancelUrl = "https://app.example.com/billing?checkout=cancel",
        });

    private static string PathOf(Session session) => new Uri(session.Url).AbsolutePath;
}
