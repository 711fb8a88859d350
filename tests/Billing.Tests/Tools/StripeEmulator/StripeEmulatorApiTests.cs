using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Billing.Tests.Support;
using Stripe;
using BillingPortalSessionCreateOptions = Stripe.BillingPortal.SessionCreateOptions;
using BillingPortalSessionService = Stripe.BillingPortal.SessionService;
using CheckoutSessionCreateOptions = Stripe.Checkout.SessionCreateOptions;
using CheckoutSessionService = Stripe.Checkout.SessionService;

namespace Billing.Tests.Tools.StripeEmulator;

/// <summary>The emulator's /v1 API through Stripe.net 53's typed services, as the API calls it, on loopback Kestrel.</summary>
[Category("Integration")]
public sealed class StripeEmulatorApiTests
{
    private const string ReturnUrl = "https://app.example.com/settings/billing";

    private StripeEmulatorHost emulator = null!;
    private StripeClient stripe = null!;

    [OneTimeSetUp]
    public async Task StartEmulator()
    {
        emulator = await StripeEmulatorHost.StartAsync(new Dictionary<string, string?>(
            StripeEmulatorHost.PriceSettings(0, "price_team", "Team", 2900)
                .Concat(StripeEmulatorHost.PriceSettings(1, "price_setup", "Setup", 5000, interval: ""))));
        stripe = emulator.CreateStripeClient();
    }

    [OneTimeTearDown]
    public async Task StopEmulator() => await emulator.DisposeAsync();

    [SetUp]
    public void ForgetState() => emulator.Store.Reset();

    [Test]
    public async Task CustomerCreate_SameIdempotencyKeyTwice_ReturnsTheFirstCustomer()
    {
        var customers = new CustomerService(stripe);
        var first = await customers.CreateAsync(new CustomerCreateOptions { Email = "first@example.com" }, new RequestOptions { IdempotencyKey = "key-1" });

        var second = await customers.CreateAsync(new CustomerCreateOptions { Email = "second@example.com" }, new RequestOptions { IdempotencyKey = "key-1" });

        Assert.Multiple(() =>
        {
            Assert.That(second.Id, Is.EqualTo(first.Id).And.StartsWith("cus_"));
            Assert.That(second.Email, Is.EqualTo("first@example.com"));
            Assert.That(emulator.Store.Customers, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task CustomerUpdate_EmailAndName_AreReadBack()
    {
        var customers = new CustomerService(stripe);
        var created = await customers.CreateAsync(new CustomerCreateOptions { Metadata = new() { ["tenant_id"] = "tenant-1" } });

        await customers.UpdateAsync(created.Id, new CustomerUpdateOptions { Email = "ada@example.com", Name = "Ada" });

        var read = await customers.GetAsync(created.Id);
        Assert.Multiple(() =>
        {
            Assert.That((read.Email, read.Name), Is.EqualTo(("ada@example.com", "Ada")));
            Assert.That(read.Metadata, Is.EqualTo(new Dictionary<string, string> { ["tenant_id"] = "tenant-1" }));
        });
    }

    [Test]
    public async Task PriceGet_ConfiguredMonthlyPrice_ReadsAsRecurringWithItsAmountAndProduct()
    {
        var price = await new PriceService(stripe).GetAsync("price_team");

        Assert.Multiple(() =>
        {
            Assert.That((price.UnitAmount, price.Currency, price.Type), Is.EqualTo(((long?)2900, "usd", "recurring")));
            Assert.That(price.Recurring?.Interval, Is.EqualTo("month"));
            Assert.That(price.ProductId, Is.EqualTo("prod_team"));
        });
    }

    [Test]
    public async Task PriceGet_ConfiguredWithoutInterval_ReadsAsOneTime()
    {
        var price = await new PriceService(stripe).GetAsync("price_setup");

        Assert.Multiple(() =>
        {
            Assert.That(price.Type, Is.EqualTo("one_time"));
            Assert.That(price.Recurring, Is.Null);
        });
    }

    [Test]
    public async Task CheckoutSessionCreate_KnownCustomerAndPrice_OpensASessionOnTheCheckoutPage()
    {
        emulator.Store.PutCustomer("cus_checkout");

        var session = await new CheckoutSessionService(stripe).CreateAsync(CheckoutOptions("cus_checkout", "price_team"));

        var stored = emulator.Store.FindCheckoutSession(session.Id);
        Assert.Multiple(() =>
        {
            Assert.That(session.Status, Is.EqualTo("open"));
            Assert.That(session.Url, Is.EqualTo($"{emulator.BaseUrl}/c/pay/{session.Id}"));
            Assert.That((session.CustomerId, session.ClientReferenceId, session.AmountTotal), Is.EqualTo(("cus_checkout", "tenant-1", (long?)5800)));
            Assert.That(stored?.SubscriptionMetadata, Is.EqualTo(new Dictionary<string, string> { ["tenant_id"] = "tenant-1" }));
        });
    }

    [Test]
    public async Task CheckoutSessionGet_AfterPay_IsCompleteWithItsSubscriptionAndNoLongerHandsOutItsPage()
    {
        emulator.Store.PutCustomer("cus_checkout");
        var paid = await emulator.PayCheckoutAsync("cus_checkout", "price_team");

        var session = await new CheckoutSessionService(stripe).GetAsync(paid.Id);

        Assert.Multiple(() =>
        {
            Assert.That((session.Status, session.PaymentStatus), Is.EqualTo(("complete", "paid")));
            Assert.That(session.SubscriptionId, Is.EqualTo(emulator.Store.SubscriptionsOf("cus_checkout").Single().Id));
            Assert.That(session.Url, Is.Null);
        });
    }

    [Test]
    public async Task CheckoutSessionCreate_UnknownPrice_ThrowsResourceMissingOnTheLineItemsPrice()
    {
        emulator.Store.PutCustomer("cus_checkout");

        var exception = await Assert.ThrowsAsync<StripeException>(() => new CheckoutSessionService(stripe).CreateAsync(CheckoutOptions("cus_checkout", "price_unknown")));

        Assert.Multiple(() =>
        {
            Assert.That(exception.HttpStatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((exception.StripeError?.Type, exception.StripeError?.Code), Is.EqualTo(("invalid_request_error", "resource_missing")));
            Assert.That(exception.StripeError?.Param, Is.EqualTo("line_items[0][price]"));
            Assert.That(exception.StripeError?.Message, Is.EqualTo("No such price: 'price_unknown'"));
            Assert.That(exception.StripeResponse?.RequestId, Does.StartWith("req_"));
        });
    }

    [Test]
    public async Task CheckoutSessionCreate_UnknownCustomer_ThrowsResourceMissingOnCustomer()
    {
        var exception = await Assert.ThrowsAsync<StripeException>(() => new CheckoutSessionService(stripe).CreateAsync(CheckoutOptions("cus_unknown", "price_team")));

        Assert.That((exception.StripeError?.Code, exception.StripeError?.Param), Is.EqualTo(("resource_missing", "customer")));
    }

    [Test]
    public async Task PortalSessionCreate_KnownCustomer_HandsOutAnUnguessablePortalUrlAndTheDefaultConfiguration()
    {
        emulator.Store.PutCustomer("cus_portal");
        var sessions = new BillingPortalSessionService(stripe);

        var first = await sessions.CreateAsync(new BillingPortalSessionCreateOptions { Customer = "cus_portal", ReturnUrl = ReturnUrl });
        var second = await sessions.CreateAsync(new BillingPortalSessionCreateOptions { Customer = "cus_portal", ReturnUrl = ReturnUrl });

        Assert.Multiple(() =>
        {
            Assert.That(first.Url, Does.Match($"^{emulator.BaseUrl}/p/session/test_[A-Za-z0-9_-]{{32}}$"));
            Assert.That(second.Url, Is.Not.EqualTo(first.Url));
            Assert.That(first.Configuration?.Id ?? first.ConfigurationId, Is.EqualTo("bpc_emulator_default"));
            Assert.That(first.ReturnUrl, Is.EqualTo(ReturnUrl));
        });
    }

    [Test]
    public async Task PortalSessionCreate_WithAConfiguration_EchoesIt()
    {
        emulator.Store.PutCustomer("cus_portal");

        var session = await new BillingPortalSessionService(stripe).CreateAsync(
            new BillingPortalSessionCreateOptions { Customer = "cus_portal", ReturnUrl = ReturnUrl, Configuration = "bpc_tenant_own" });

        Assert.That(session.ConfigurationId, Is.EqualTo("bpc_tenant_own"));
    }

    [Test]
    public async Task PortalSessionCreate_PortalPageUrlSet_HandsOutUrlsThere()
    {
        await using var stripeLooking = await StripeEmulatorHost.StartAsync(new Dictionary<string, string?>
        {
            ["Emulator:PublicUrl"] = "http://localhost:12111",
            ["Emulator:PortalPageUrl"] = "https://billing.stripe.com",
        });
        stripeLooking.Store.PutCustomer("cus_portal");

        var session = await new BillingPortalSessionService(stripeLooking.CreateStripeClient()).CreateAsync(
            new BillingPortalSessionCreateOptions { Customer = "cus_portal", ReturnUrl = ReturnUrl });

        Assert.That(session.Url, Does.StartWith("https://billing.stripe.com/p/session/test_"));
    }

    [Test]
    public async Task PortalSessionCreate_UnknownCustomer_ThrowsResourceMissingOnCustomerWithARequestId()
    {
        var exception = await Assert.ThrowsAsync<StripeException>(() => new BillingPortalSessionService(stripe).CreateAsync(
            new BillingPortalSessionCreateOptions { Customer = "cus_unknown", ReturnUrl = ReturnUrl }));

        Assert.Multiple(() =>
        {
            Assert.That((exception.StripeError?.Code, exception.StripeError?.Param), Is.EqualTo(("resource_missing", "customer")));
            Assert.That(exception.StripeError?.Message, Is.EqualTo("No such customer: 'cus_unknown'"));
            Assert.That(exception.StripeResponse?.RequestId, Does.StartWith("req_"));
        });
    }

    [Test]
    public async Task PortalSessionCreate_CancelFlowForAnotherCustomersSubscription_ThrowsResourceMissing()
    {
        emulator.Store.PutCustomer("cus_portal");
        var othersSubscription = emulator.Store.PutSubscription("cus_other", "price_team");

        var exception = await Assert.ThrowsAsync<StripeException>(() => new BillingPortalSessionService(stripe).CreateAsync(new BillingPortalSessionCreateOptions
        {
            Customer = "cus_portal",
            ReturnUrl = ReturnUrl,
            FlowData = new Stripe.BillingPortal.SessionFlowDataOptions
            {
                Type = "subscription_cancel",
                SubscriptionCancel = new Stripe.BillingPortal.SessionFlowDataSubscriptionCancelOptions { Subscription = othersSubscription.Id },
            },
        }));

        Assert.That((exception.StripeError?.Code, exception.StripeError?.Param), Is.EqualTo(("resource_missing", "flow_data[subscription_cancel][subscription]")));
    }

    [TestCase(null, new[] { "active", "past_due" })]
    [TestCase("all", new[] { "canceled", "active", "past_due" })]
    [TestCase("past_due", new[] { "past_due" })]
    public async Task SubscriptionList_ByStatus_ListsTheCustomersNewestFirstAsStripeDoes(string? status, string[] expectedStatuses)
    {
        var now = DateTimeOffset.UtcNow;
        emulator.Store.PutSubscription("cus_list", "price_team", status: "past_due", created: now.AddDays(-3));
        emulator.Store.PutSubscription("cus_list", "price_team", status: "active", created: now.AddDays(-2));
        emulator.Store.PutSubscription("cus_list", "price_team", status: "canceled", created: now.AddDays(-1));
        emulator.Store.PutSubscription("cus_someone_else", "price_team", status: "past_due");

        var listed = await new SubscriptionService(stripe).ListAsync(new SubscriptionListOptions { Customer = "cus_list", Status = status });

        Assert.That(listed.Data.Select(subscription => subscription.Status), Is.EqualTo(expectedStatuses));
    }

    [Test]
    public async Task SubscriptionList_Item_CarriesTheCurrentPeriodAndTheFullPrice()
    {
        var periodEnd = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000);
        var cancelAt = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000);
        var seeded = emulator.Store.PutSubscription("cus_list", "price_team", currentPeriodEnd: periodEnd, cancelAtPeriodEnd: true, cancelAt: cancelAt);

        var listed = (await new SubscriptionService(stripe).ListAsync(new SubscriptionListOptions { Customer = "cus_list", Status = "all" })).Data.Single();

        var item = listed.Items.Data.Single();
        Assert.Multiple(() =>
        {
            Assert.That((listed.Id, listed.CustomerId, listed.CancelAtPeriodEnd), Is.EqualTo((seeded.Id, "cus_list", true)));
            Assert.That(listed.CancelAt, Is.EqualTo(cancelAt.UtcDateTime));
            Assert.That(item.CurrentPeriodEnd, Is.EqualTo(periodEnd.UtcDateTime));
            Assert.That((item.Price.Id, item.Price.ProductId, item.Price.UnitAmount, item.Quantity), Is.EqualTo(("price_team", "prod_team", (long?)2900, 1L)));
        });
    }

    [TestCase(null)]
    [TestCase("Bearer sk_" + "live_" + "not_a_real_key")] // split, so that no scanner mistakes it for a key
    [TestCase("Bearer pk_test_a_publishable_key_0123")]
    public async Task Request_WithoutATestModeSecretKey_Answers401InStripesErrorShape(string? authorization)
    {
        using var client = new HttpClient { BaseAddress = new Uri(emulator.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/prices/price_team");
        if (authorization is not null)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }

        using var response = await client.SendAsync(request);

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(body.RootElement.GetProperty("error").GetProperty("type").GetString(), Is.EqualTo("invalid_request_error"));
            Assert.That(response.Headers.GetValues("Request-Id").Single(), Does.StartWith("req_"));
        });
    }

    [Test]
    public async Task Request_UnknownPath_Answers404UnrecognizedRequestUrl()
    {
        using var client = new HttpClient { BaseAddress = new Uri(emulator.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StripeEmulatorHost.SecretKey);

        using var response = await client.GetAsync("/v1/invoices");

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(body.RootElement.GetProperty("error").GetProperty("message").GetString(), Does.StartWith("Unrecognized request URL (GET: /v1/invoices)"));
        });
    }

    private static CheckoutSessionCreateOptions CheckoutOptions(string customer, string price) => new()
    {
        Mode = "subscription",
        Customer = customer,
        LineItems = [new Stripe.Checkout.SessionLineItemOptions { Price = price, Quantity = 2 }],
        ClientReferenceId = "tenant-1",
        SubscriptionData = new Stripe.Checkout.SessionSubscriptionDataOptions { Metadata = new() { ["tenant_id"] = "tenant-1" } },
        SuccessUrl = "https://app.example.com/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}",
        CancelUrl = "https://app.example.com/billing?checkout=cancel",
        AllowPromotionCodes = false,
    };
}
