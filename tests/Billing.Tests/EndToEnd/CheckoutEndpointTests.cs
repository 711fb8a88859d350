using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Tests.Support;

namespace Billing.Tests.EndToEnd;

/// <summary>Every row of the checkout and plans contract over real HTTP: real JWT validation, PostgreSQL and the Stripe fake.</summary>
public sealed class CheckoutEndpointTests : EndToEndTestBase
{
    private const string CheckoutEndpoint = "/api/subscriptions/checkout";
    private const string PlansEndpoint = "/api/subscriptions/plans";
    private const string Team = "price_team_e2e";
    private const string Scale = "price_scale_e2e";

    protected override IReadOnlyDictionary<string, string?> SettingOverrides { get; } = new Dictionary<string, string?>
    {
        ["Billing:Plans:0:PriceId"] = Team,
        ["Billing:Plans:0:Name"] = "Team",
        ["Billing:Plans:1:PriceId"] = Scale,
        ["Billing:Plans:1:Name"] = "Scale",
        ["Billing:Plans:2:PriceId"] = "price_unknown_e2e",
        ["Billing:Plans:2:Name"] = "Gone",
    };

    [Test]
    public async Task GetPlans_PricesStripeKnows_ListsThemWithStripesAmountsAndLeavesOutTheUnknownOne()
    {
        Stripe.SetPrice(Team, 1900);
        Stripe.SetPrice(Scale, 19000, "eur", "year");

        using var response = await SendAsync(HttpMethod.Get, PlansEndpoint, TestTokens.ForTenant(Guid.NewGuid()));

        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(JsonSerializer.Deserialize<JsonElement>(body).GetProperty("plans").ToString(), Is.EqualTo(
                """[{"priceId":"price_team_e2e","name":"Team","unitAmount":1900,"currency":"usd","interval":"month"},""" +
                """{"priceId":"price_scale_e2e","name":"Scale","unitAmount":19000,"currency":"eur","interval":"year"}]"""));
        });
    }

    [Test]
    public void Start_ValidatePlansOnStartupWithAPriceStripeDoesNotKnow_FailsNamingThePrice()
    {
        Stripe.SetPrice(Team, 1900);
        Stripe.SetPrice(Scale, 19000);
        using var factory = BillingApiFactory.Create(ConnectionString, Stripe.BaseUrl,
            new Dictionary<string, string?>(SettingOverrides) { ["Billing:ValidatePlansOnStartup"] = "true" });

        var exception = Assert.Throws<InvalidOperationException>(() => factory.CreateClient().Dispose());

        Assert.That(exception!.Message, Does.Contain("price_unknown_e2e").And.Not.Contain(Team));
    }

    [Test]
    public void Start_ValidatePlansOnStartupWithEveryPriceKnown_Starts()
    {
        Stripe.SetPrice(Team, 1900);
        Stripe.SetPrice(Scale, 19000);
        using var factory = BillingApiFactory.Create(ConnectionString, Stripe.BaseUrl,
            new Dictionary<string, string?>(SettingOverrides) { ["Billing:ValidatePlansOnStartup"] = "true", ["Billing:Plans:2:PriceId"] = null, ["Billing:Plans:2:Name"] = null });

        Assert.That(() => factory.CreateClient().Dispose(), Throws.Nothing);
    }

    [Test]
    public async Task GetPlans_NoToken_Returns401()
    {
        using var response = await SendAsync(HttpMethod.Get, PlansEndpoint, token: null);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Unauthorized");
    }

    [Test]
    public async Task Post_TenantWithCustomer_Returns200WithTheUrlStripeHandedOut()
    {
        var tenant = await TenantWithCustomerAsync();

        using var response = await CheckoutAsync(tenant, $$"""{"priceId":"{{Team}}"}""");

        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body, Has.Count.EqualTo(1));
            Assert.That(body?["url"], Does.StartWith("https://checkout.stripe.com/c/pay/cs_test_"));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        });
    }

    [Test]
    public async Task Post_TenantWithCustomer_SendsStripeExactlyTheDocumentedForm()
    {
        var tenant = await TenantWithCustomerAsync();

        using var response = await CheckoutAsync(tenant, $$"""{"priceId":"{{Scale}}","quantity":5,"locale":"fr"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Stripe.CheckoutRequests.Single().Form, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["mode"] = "subscription",
            ["customer"] = CustomerOf(tenant),
            ["line_items[0][price]"] = Scale,
            ["line_items[0][quantity]"] = "5",
            ["client_reference_id"] = tenant.ToString(),
            ["subscription_data[metadata][tenant_id]"] = tenant.ToString(),
            ["success_url"] = "https://app.example.com/settings/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}",
            ["cancel_url"] = "https://app.example.com/settings/billing?checkout=cancelled",
            ["locale"] = "fr",
            ["allow_promotion_codes"] = "false",
        }));
    }

    [Test]
    public async Task Post_ReturnUrlsGiven_SendsThemResolvedOnThePublicUrl()
    {
        var tenant = await TenantWithCustomerAsync();

        using var response = await CheckoutAsync(
            tenant, $$"""{"priceId":"{{Team}}","successUrl":"/welcome?session={CHECKOUT_SESSION_ID}","cancelUrl":"/pricing"}""");

        var form = Stripe.CheckoutRequests.Single().Form;
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(form["success_url"], Is.EqualTo("https://app.example.com/welcome?session={CHECKOUT_SESSION_ID}"));
            Assert.That(form["cancel_url"], Is.EqualTo("https://app.example.com/pricing"));
        });
    }

    [Test]
    public async Task Post_NewTenant_CreatesItsCustomerWithTheTenantAndTheUsersClaimsAndLinksIt()
    {
        var tenant = Guid.NewGuid();
        var token = TestTokens.Create(new Dictionary<string, object>
        {
            [TestTokens.TenantClaim] = tenant.ToString(),
            ["email"] = "ada@example.com",
            ["name"] = "Ada Lovelace",
        });

        using var response = await SendAsync(HttpMethod.Post, CheckoutEndpoint, token, $$"""{"priceId":"{{Team}}"}""");

        var created = Stripe.CustomerCreations.Single();
        var customer = Stripe.Customers.Single();
        var linked = await TenantBilling.ReadAsync(ConnectionString, tenant);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(created.Form, Is.EquivalentTo(new Dictionary<string, string> { ["metadata[tenant_id]"] = tenant.ToString() }));
            Assert.That(created.IdempotencyKey, Is.EqualTo($"billing-tenant-customer-{tenant}"));
            Assert.That(customer.Email, Is.EqualTo("ada@example.com"));
            Assert.That(customer.Name, Is.EqualTo("Ada Lovelace"));
            Assert.That(linked?.CustomerId, Is.EqualTo(customer.Id));
            Assert.That(Stripe.CheckoutRequests.Single().Form["customer"], Is.EqualTo(customer.Id));
        });
    }

    [Test]
    public async Task Post_NewTenantTwice_CreatesOneCustomerAndReusesIt()
    {
        var tenant = Guid.NewGuid();

        using var first = await CheckoutAsync(tenant, $$"""{"priceId":"{{Team}}"}""");
        using var second = await CheckoutAsync(tenant, $$"""{"priceId":"{{Team}}"}""");

        Assert.Multiple(() =>
        {
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Stripe.CustomerCreations, Has.Count.EqualTo(1));
            Assert.That(Stripe.CheckoutRequests.Select(request => request.Form["customer"]).Distinct().Count(), Is.EqualTo(1));
        });
    }

    [TestCase("active")]
    [TestCase("trialing")]
    [TestCase("past_due")]
    [TestCase("unpaid")]
    [TestCase("paused")]
    public async Task Post_LiveSubscriptionStored_Returns409WithoutCallingStripe(string status)
    {
        var tenant = Guid.NewGuid();
        await (TenantBilling.NoneFor($"cus_live_{status}") with { Status = status, SubscriptionId = "sub_live" }).WriteAsync(ConnectionString, tenant);

        using var response = await CheckoutAsync(tenant, $$"""{"priceId":"{{Team}}"}""");

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "Subscription already exists");
        Assert.That(Stripe.Requests, Is.Empty);
    }

    [Test]
    public async Task Post_CanceledSubscriptionStored_OpensCheckoutForTheSameCustomer()
    {
        var tenant = Guid.NewGuid();
        await (TenantBilling.NoneFor("cus_was_canceled") with { Status = "canceled", SubscriptionId = "sub_old" }).WriteAsync(ConnectionString, tenant);

        using var response = await CheckoutAsync(tenant, $$"""{"priceId":"{{Team}}"}""");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Stripe.CheckoutRequests.Single().Form["customer"], Is.EqualTo("cus_was_canceled"));
        });
    }

    [TestCase("""{"quantity":1}""", "priceId")]
    [TestCase("""{"priceId":"price_not_offered"}""", "priceId")]
    [TestCase("""{"priceId":"price_team_e2e","quantity":0}""", "quantity")]
    [TestCase("""{"priceId":"price_team_e2e","quantity":10001}""", "quantity")]
    [TestCase("""{"priceId":"price_team_e2e","successUrl":"https://evil.example/"}""", "successUrl")]
    [TestCase("""{"priceId":"price_team_e2e","cancelUrl":"//evil.example/"}""", "cancelUrl")]
    [TestCase("""{"priceId":"price_team_e2e","locale":"en-AU"}""", "locale")]
    public async Task Post_InvalidMember_Returns400KeyedByThatMemberAndAuditsIt(string body, string member)
    {
        var tenant = await TenantWithCustomerAsync();

        using var response = await CheckoutAsync(tenant, body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "Validation failed");
        Assert.Multiple(async () =>
        {
            Assert.That(JsonSerializer.Deserialize<JsonElement>(problem).GetProperty("errors").EnumerateObject().Select(error => error.Name),
                Is.EqualTo(new[] { member }));
            Assert.That(Stripe.Requests, Is.Empty);
            Assert.That((await AuditRows.ReadActionsAsync(ConnectionString, tenant)).Single(), Is.EqualTo(("checkout", "invalid_request")));
        });
    }

    [TestCase("""{"priceId":"price_team_e2e","customer":"cus_someone_else"}""")]
    [TestCase("""{"priceId":"price_team_e2e","tenantId":"11111111-1111-4111-8111-111111111111"}""")]
    [TestCase("""{"PriceId":"price_team_e2e"}""")]
    public async Task Post_BodyNamesACustomerOrTenantOrMisspellsAMember_Returns400WithoutCallingStripe(string body)
    {
        var tenant = await TenantWithCustomerAsync();

        using var response = await CheckoutAsync(tenant, body);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "Validation failed");
        Assert.That(Stripe.Requests, Is.Empty);
    }

    [Test]
    public async Task Post_StoredCustomerStripeNoLongerKnows_Returns404()
    {
        var tenant = await TenantWithCustomerAsync();
        Stripe.RespondToCheckoutWithError(400, "invalid_request_error", "resource_missing", "customer");

        using var response = await CheckoutAsync(tenant, $$"""{"priceId":"{{Team}}"}""");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "No Stripe customer found for this tenant");
    }

    [Test]
    public async Task Post_StripeFailsAfterTheCustomerWasCreated_Returns500AndTheCustomerStaysLinkedForTheNextTry()
    {
        var tenant = Guid.NewGuid();
        Stripe.RespondToCheckoutWithError(500, "api_error");

        using var failed = await CheckoutAsync(tenant, $$"""{"priceId":"{{Team}}"}""");
        var linked = (await TenantBilling.ReadAsync(ConnectionString, tenant))?.CustomerId;
        Stripe.Reset();
        using var retried = await CheckoutAsync(tenant, $$"""{"priceId":"{{Team}}"}""");

        await AssertProblemAsync(failed, HttpStatusCode.InternalServerError, "Internal server error");
        Assert.Multiple(() =>
        {
            Assert.That(linked, Does.StartWith("cus_"), "a customer Stripe created");
            Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Stripe.CustomerCreations, Is.Empty);
            Assert.That(Stripe.CheckoutRequests.Single().Form["customer"], Is.EqualTo(linked));
        });
    }

    [Test]
    public async Task Post_Created_AuditsCheckoutWithSessionPriceAndQuantityButNeverTheUrl()
    {
        var tenant = await TenantWithCustomerAsync();

        using var response = await CheckoutAsync(tenant, $$"""{"priceId":"{{Scale}}","quantity":2}""");

        var url = (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!["url"];
        var (outcome, row) = (await AuditRowsAsync(tenant)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo("created"));
            // The row ends with action, checkout_session_id, price_id and quantity.
            Assert.That(row, Does.Match($@",checkout,cs_test_\w+,{Scale},2\)$"));
            Assert.That(row, Does.Not.Contain(url));
        });
    }

    [Test]
    public async Task GetAudit_AfterCheckout_ShowsTheCheckoutRowWithItsSessionAndPrice()
    {
        var tenant = await TenantWithCustomerAsync();
        using (await CheckoutAsync(tenant, $$"""{"priceId":"{{Team}}"}""")) { }

        using var response = await GetAuditAsync(TestTokens.ForTenant(tenant));

        var item = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync()).GetProperty("items")[0];
        Assert.Multiple(() =>
        {
            Assert.That(item.GetProperty("action").GetString(), Is.EqualTo("checkout"));
            Assert.That(item.GetProperty("outcome").GetString(), Is.EqualTo("created"));
            Assert.That(item.GetProperty("checkoutSessionId").GetString(), Does.StartWith("cs_test_"));
            Assert.That(item.GetProperty("priceId").GetString(), Is.EqualTo(Team));
            Assert.That(item.GetProperty("quantity").GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task GetMetrics_AfterACheckoutAndARefusal_CountsThemAsCheckoutOutcomes()
    {
        var tenant = await TenantWithCustomerAsync();
        (await CheckoutAsync(tenant, $$"""{"priceId":"{{Team}}"}""")).Dispose();
        (await CheckoutAsync(tenant, """{"priceId":"price_not_offered"}""")).Dispose();

        var scrape = await Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(scrape, Does.Match("""billing_portal_requests_total\{[^}]*action="checkout"[^}]*outcome="created"[^}]*\} [1-9]"""));
            Assert.That(scrape, Does.Match("""billing_portal_requests_total\{[^}]*action="checkout"[^}]*outcome="invalid_request"[^}]*\} [1-9]"""));
            Assert.That(scrape, Does.Match("""billing_stripe_request_duration_seconds_count\{[^}]*stripe_operation="checkout.sessions.create"[^}]*\} [1-9]"""));
        });
    }

    private async Task<Guid> TenantWithCustomerAsync()
    {
        var tenant = Guid.NewGuid();
        await TenantSeeder.UpsertAsync(ConnectionString, tenant, CustomerOf(tenant));
        return tenant;
    }

    private static string CustomerOf(Guid tenant) => $"cus_{tenant:N}"[..20];

    private Task<HttpResponseMessage> CheckoutAsync(Guid tenant, string body) =>
        SendAsync(HttpMethod.Post, CheckoutEndpoint, TestTokens.ForTenant(tenant), body);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        return await Client.SendAsync(request);
    }
}
