using System.Net;
using Billing.Tests.Support;
using Stripe.BillingPortal;
using StripeEmulator.State;

namespace Billing.Tests.Tools.StripeEmulator;

/// <summary>The hosted billing portal (<c>/p/session/{token}</c>) as a browser without JavaScript uses it.</summary>
[Category("Integration")]
public sealed class PortalPageTests
{
    private const string Customer = "cus_portal_page";
    private const string ReturnUrl = "https://app.example.com/settings/billing";
    private const string FlowReturnUrl = "https://app.example.com/settings/billing?flow=done";

    private static readonly DateTimeOffset PeriodEnd = new(2027, 1, 2, 0, 0, 0, TimeSpan.Zero);

    private StripeEmulatorHost emulator = null!;

    [OneTimeSetUp]
    public async Task StartEmulator() =>
        emulator = await StripeEmulatorHost.StartAsync(new Dictionary<string, string?>(
            StripeEmulatorHost.PriceSettings(0, "price_team", "Team", 2900)
                .Concat(StripeEmulatorHost.PriceSettings(1, "price_business", "Business", 9900))
                .Concat(StripeEmulatorHost.PriceSettings(2, "price_setup", "Setup", 5000, interval: ""))));

    [OneTimeTearDown]
    public async Task StopEmulator() => await emulator.DisposeAsync();

    [SetUp]
    public void ForgetState() => emulator.Store.Reset();

    [Test]
    public async Task Show_ActiveSubscription_ShowsItsStatusPlanChoicesAndReturn()
    {
        SeedSubscription();
        var portal = await OpenPortalAsync();

        var (status, html) = await emulator.GetPageAsync(portal);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(html, Does.Contain("<title>Billing portal</title>"));
            Assert.That(html, Does.Contain("<p id=\"status\">active</p>"));
            Assert.That(html, Does.Contain("<p id=\"plan\">Team, 29.00 USD per month</p>"));
            Assert.That(ButtonIds(html), Is.EqualTo(new[] { "cancel-at-period-end", "cancel-now", "switch-plan-price_business" }));
            Assert.That(html, Does.Contain($"<a id=\"return\" href=\"{ReturnUrl}\">Return</a>"));
        });
    }

    [Test]
    public async Task Show_CustomerWithoutSubscription_SaysSoAndOffersReturn()
    {
        emulator.Store.PutCustomer(Customer);
        var portal = await OpenPortalAsync();

        var (_, html) = await emulator.GetPageAsync(portal);

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("<p id=\"no-subscription\">No subscription.</p>"));
            Assert.That(html, Does.Contain("<a id=\"return\""));
            Assert.That(ButtonIds(html), Is.Empty);
        });
    }

    [Test]
    public async Task Show_UnknownToken_Answers404()
    {
        var (status, _) = await emulator.GetPageAsync("/p/session/test_unknown");

        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task CancelAtPeriodEnd_ActiveSubscription_SetsItToCancelWhenThePeriodEnds()
    {
        var subscription = SeedSubscription();
        var portal = await OpenPortalAsync();

        using var response = await emulator.SubmitAsync($"{portal}/cancel-at-period-end", ("subscription", subscription.Id));

        var changed = emulator.Store.FindSubscription(subscription.Id)!;
        Assert.Multiple(() =>
        {
            Assert.That((changed.Status, changed.CancelAtPeriodEnd, changed.CancelAt), Is.EqualTo(("active", true, (DateTimeOffset?)PeriodEnd)));
            Assert.That(changed.CanceledAt, Is.Not.Null);
        });
    }

    [Test]
    public async Task CancelAtPeriodEnd_WithoutAFlow_RedirectsBackToThePortalWhichShowsWhenItCancels()
    {
        var subscription = SeedSubscription();
        var portal = await OpenPortalAsync();

        using var response = await emulator.SubmitAsync($"{portal}/cancel-at-period-end", ("subscription", subscription.Id));

        var (_, html) = await emulator.GetPageAsync(portal);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo(portal));
            Assert.That(html, Does.Contain("<p id=\"cancels\">Cancels on January 2, 2027</p>"));
            Assert.That(ButtonIds(html), Is.EqualTo(new[] { "cancel-now", "renew", "switch-plan-price_business" }));
        });
    }

    [Test]
    public async Task Renew_SetToCancelAtPeriodEnd_CancelsNoMore()
    {
        var subscription = SeedSubscription(cancelAtPeriodEnd: true);
        var portal = await OpenPortalAsync();

        using var response = await emulator.SubmitAsync($"{portal}/renew", ("subscription", subscription.Id));

        var changed = emulator.Store.FindSubscription(subscription.Id)!;
        Assert.That((changed.CancelAtPeriodEnd, changed.CancelAt, changed.CanceledAt), Is.EqualTo((false, (DateTimeOffset?)null, (DateTimeOffset?)null)));
    }

    [Test]
    public async Task CancelNow_ActiveSubscription_EndsItNow()
    {
        var subscription = SeedSubscription();
        var portal = await OpenPortalAsync();

        using var response = await emulator.SubmitAsync($"{portal}/cancel-now", ("subscription", subscription.Id));

        var changed = emulator.Store.FindSubscription(subscription.Id)!;
        Assert.Multiple(() =>
        {
            Assert.That(changed.Status, Is.EqualTo("canceled"));
            Assert.That(changed.EndedAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromSeconds(5)));
            Assert.That(changed.CanceledAt, Is.EqualTo(changed.EndedAt));
        });
    }

    [Test]
    public async Task SwitchPlan_OtherRecurringPrice_MovesTheItemToItWithinThePeriod()
    {
        var subscription = SeedSubscription();
        var portal = await OpenPortalAsync();

        using var response = await emulator.SubmitAsync($"{portal}/switch-plan", ("subscription", subscription.Id), ("price", "price_business"));

        var changed = emulator.Store.FindSubscription(subscription.Id)!;
        Assert.Multiple(() =>
        {
            Assert.That((changed.Status, changed.Price.Id, changed.Price.ProductName), Is.EqualTo(("active", "price_business", "Business")));
            Assert.That(changed.CurrentPeriodEnd, Is.EqualTo(PeriodEnd));
        });
    }

    [Test]
    public async Task SwitchPlan_ToAOneTimePrice_Answers404AndChangesNothing()
    {
        var subscription = SeedSubscription();
        var portal = await OpenPortalAsync();

        using var response = await emulator.SubmitAsync($"{portal}/switch-plan", ("subscription", subscription.Id), ("price", "price_setup"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(emulator.Store.FindSubscription(subscription.Id)!.Price.Id, Is.EqualTo("price_team"));
        });
    }

    [Test]
    public async Task CancelNow_NamingAnotherCustomersSubscription_Answers404AndChangesNothing()
    {
        SeedSubscription();
        var othersSubscription = emulator.Store.PutSubscription("cus_someone_else", "price_team");
        var portal = await OpenPortalAsync();

        using var response = await emulator.SubmitAsync($"{portal}/cancel-now", ("subscription", othersSubscription.Id));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(emulator.Store.FindSubscription(othersSubscription.Id)!.Status, Is.EqualTo("active"));
        });
    }

    [Test]
    public async Task Show_SubscriptionCancelFlow_OffersOnlyTheCancelChoices()
    {
        var subscription = SeedSubscription();
        var portal = await OpenPortalAsync(Flow("subscription_cancel", subscription.Id));

        var (_, html) = await emulator.GetPageAsync(portal);

        Assert.That(ButtonIds(html), Is.EqualTo(new[] { "cancel-at-period-end", "cancel-now" }));
    }

    [Test]
    public async Task Show_SubscriptionUpdateFlow_OffersOnlyThePlanSwitches()
    {
        var subscription = SeedSubscription();
        var portal = await OpenPortalAsync(Flow("subscription_update", subscription.Id));

        var (_, html) = await emulator.GetPageAsync(portal);

        Assert.That(ButtonIds(html), Is.EqualTo(new[] { "switch-plan-price_business" }));
    }

    [Test]
    public async Task CancelAtPeriodEnd_InAFlowThatRedirects_RedirectsToTheFlowsReturnUrl()
    {
        var subscription = SeedSubscription();
        var portal = await OpenPortalAsync(Flow("subscription_cancel", subscription.Id));

        using var response = await emulator.SubmitAsync($"{portal}/cancel-at-period-end", ("subscription", subscription.Id));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo(FlowReturnUrl));
            Assert.That(emulator.Store.FindSubscription(subscription.Id)!.CancelAtPeriodEnd, Is.True);
        });
    }

    [Test]
    public async Task SwitchPlan_InACancelFlow_Answers404AndChangesNothing()
    {
        var subscription = SeedSubscription();
        var portal = await OpenPortalAsync(Flow("subscription_cancel", subscription.Id));

        using var response = await emulator.SubmitAsync($"{portal}/switch-plan", ("subscription", subscription.Id), ("price", "price_business"));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(emulator.Store.FindSubscription(subscription.Id)!.Price.Id, Is.EqualTo("price_team"));
        });
    }

    private EmulatedSubscription SeedSubscription(bool cancelAtPeriodEnd = false) =>
        emulator.Store.PutSubscription(Customer, "price_team", currentPeriodEnd: PeriodEnd, cancelAtPeriodEnd: cancelAtPeriodEnd,
            cancelAt: cancelAtPeriodEnd ? PeriodEnd : null);

    private static SessionFlowDataOptions Flow(string type, string subscriptionId) => new()
    {
        Type = type,
        AfterCompletion = new SessionFlowDataAfterCompletionOptions
        {
            Type = "redirect",
            Redirect = new SessionFlowDataAfterCompletionRedirectOptions { ReturnUrl = FlowReturnUrl },
        },
        SubscriptionCancel = type == "subscription_cancel" ? new SessionFlowDataSubscriptionCancelOptions { Subscription = subscriptionId } : null,
        SubscriptionUpdate = type == "subscription_update" ? new SessionFlowDataSubscriptionUpdateOptions { Subscription = subscriptionId } : null,
    };

    /// <summary>Opens a portal session as the API does and returns its page's path.</summary>
    private async Task<string> OpenPortalAsync(SessionFlowDataOptions? flow = null)
    {
        var session = await new SessionService(emulator.CreateStripeClient()).CreateAsync(
            new SessionCreateOptions { Customer = Customer, ReturnUrl = ReturnUrl, FlowData = flow });
        return new Uri(session.Url).AbsolutePath;
    }

    private static string[] ButtonIds(string html) =>
        System.Text.RegularExpressions.Regex.Matches(html, "<button id=\"([^\"]+)\"").Select(match => match.Groups[1].Value).ToArray();
}
