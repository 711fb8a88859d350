using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Billing.Application.Checkout;
using Billing.Application.PortalSessions;
using Billing.Tests.Support;
using Npgsql;

namespace Billing.Tests.EndToEnd;

/// <summary>
/// The OpenAPI document tells the whole contract: every response it documents is one the running API gives (on real
/// Kestrel, so that its body limit applies), with a body that validates against the documented schema, and it
/// documents no response that no test here produces.
/// </summary>
public sealed class OpenApiContractTests : EndToEndTestBase
{
    private const string Role = "billing_admin";
    private const string Portal = "/api/subscriptions/portal";
    private const string Audit = "/api/subscriptions/portal/audit";
    private const string Current = "/api/subscriptions/current";
    private const string Sync = "/api/subscriptions/sync";
    private const string Plans = "/api/subscriptions/plans";
    private const string Checkout = "/api/subscriptions/checkout";
    private const string PriceId = "price_contract";
    private const string CheckoutBody = $$"""{"priceId":"{{PriceId}}"}""";
    private const string WebhookSecret = "whsec_contract_test";

    private OpenApiContract contract = null!;

    protected override bool ListensOnKestrel => true;

    protected override IReadOnlyDictionary<string, string?> SettingOverrides { get; } = new Dictionary<string, string?>
    {
        ["Portal:RequiredRoles:0"] = Role,
        // One session per tenant per minute: every exchange below uses a tenant of its own, and the 429 one asks twice.
        ["Portal:RateLimit:PermitLimit"] = "1",
        ["Portal:RateLimit:WindowSeconds"] = "60",
        ["Stripe:WebhookSecrets:0"] = WebhookSecret,
        ["Billing:Plans:0:PriceId"] = PriceId,
        ["Billing:Plans:0:Name"] = "Contract",
    };

    /// <summary>A request that gets one documented answer: <paramref name="Status"/> from the operation at <paramref name="Method"/> <paramref name="Path"/>.</summary>
    /// <param name="Method">The operation's HTTP method.</param>
    /// <param name="Path">The operation's path in the document.</param>
    /// <param name="Status">The documented status this exchange produces.</param>
    /// <param name="Case">What the exchange does, as the test case's name shows it.</param>
    /// <param name="Send">Sends it, as a fresh tenant that has a Stripe customer.</param>
    public sealed record Exchange(string Method, string Path, int Status, string Case, Func<OpenApiContractTests, Guid, Task<HttpResponseMessage>> Send)
    {
        internal DocumentedResponse Answer => new(Method, Path, Status);
    }

    [OneTimeSetUp]
    public async Task FetchDocument() => contract = await OpenApiContract.FetchAsync(Client);

    [TestCaseSource(nameof(Exchanges))]
    public async Task DocumentedResponse_ProducedByTheApi_HasTheDocumentedMediaTypeAndSchema(Exchange exchange)
    {
        var tenant = Guid.NewGuid();
        await TenantSeeder.UpsertAsync(ConnectionString, tenant, $"cus_contract_{tenant:N}");
        var (mediaType, schema) = contract.ResponseSchema(exchange.Answer);

        using var response = await exchange.Send(this, tenant);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(exchange.Answer.Status), body);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(mediaType));
            Assert.That(OpenApiContract.Violations(schema, body), Is.Null, body);
        });
    }

    [Test]
    public void Document_EveryOperation_DocumentsExactlyTheResponsesExercisedHere()
    {
        Assert.That(contract.Responses(), Is.EquivalentTo(Exchanges().Select(exchange => ((Exchange)exchange.Arguments[0]!).Answer).Distinct()));
    }

    [Test]
    public void Document_AuditQuery_IsSpelledAsOnTheWire()
    {
        Assert.That(AuditParameters().Select(parameter => parameter["name"]!.GetValue<string>()), Is.EqualTo(new[] { "limit", "before" }));
    }

    [Test]
    public void Document_AuditLimit_IsFrom1To100WithDefault50()
    {
        var limit = AuditParameters().Single(parameter => parameter["name"]!.GetValue<string>() == "limit")["schema"]!;

        Assert.Multiple(() =>
        {
            Assert.That(limit["minimum"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(limit["maximum"]!.GetValue<int>(), Is.EqualTo(100));
            Assert.That(limit["default"]!.GetValue<int>(), Is.EqualTo(50));
        });
    }

    [Test]
    public void Document_PortalRequestFlow_EnumeratesTheThreeFlows()
    {
        Assert.That(EnumOf("flow"), Is.EquivalentTo(new[] { "payment_method_update", "subscription_cancel", "subscription_update" }));
    }

    [Test]
    public void Document_PortalRequestLocale_EnumeratesEveryPortalLocale()
    {
        Assert.That(EnumOf("locale"), Is.EquivalentTo(PortalLocales.All));
    }

    [Test]
    public void Document_PortalRequestReturnUrl_IsAtMost2048Characters()
    {
        Assert.That(contract.Schema("PortalSessionRequest")["properties"]!["returnUrl"]!["maxLength"]!.GetValue<int>(), Is.EqualTo(2048));
    }

    [Test]
    public void Document_PortalRequestBody_IsOnlyApplicationJson()
    {
        Assert.That(contract.Operation("POST", Portal)["requestBody"]!["content"]!.AsObject().Select(content => content.Key),
            Is.EqualTo(new[] { "application/json" }));
    }

    [Test]
    public void Document_CheckoutRequest_StatesItsRequiredPriceQuantityRangeAndLocales()
    {
        var schema = contract.Schema("CheckoutRequest");

        Assert.Multiple(() =>
        {
            Assert.That(schema["required"]!.AsArray().Select(member => member!.GetValue<string>()), Is.EqualTo(new[] { "priceId" }));
            Assert.That(schema["properties"]!["quantity"]!["minimum"]!.GetValue<int>(), Is.EqualTo(1));
            Assert.That(schema["properties"]!["quantity"]!["maximum"]!.GetValue<int>(), Is.EqualTo(10_000));
            Assert.That(schema["properties"]!["locale"]!["enum"]!.AsArray().Select(value => value!.GetValue<string>()), Is.EquivalentTo(CheckoutLocales.All));
        });
    }

    [TestCase("ProblemDetails")]
    [TestCase("ValidationProblemDetails")]
    public void Document_ProblemSchema_DeclaresTheRequiredErrorAndTheTraceId(string name)
    {
        var schema = contract.Schema(name);

        Assert.Multiple(() =>
        {
            Assert.That(schema["properties"]!["error"]!["type"]!.GetValue<string>(), Is.EqualTo("string"));
            Assert.That(schema["properties"]!["traceId"]!["type"]!.GetValue<string>(), Is.EqualTo("string"));
            Assert.That(schema["required"]!.AsArray().Select(member => member!.GetValue<string>()), Does.Contain("error"));
        });
    }

    private static IEnumerable<TestCaseData> Exchanges()
    {
        Exchange[] exchanges =
        [
            // The members as documented, in camelCase; MVC's default would have taken any case.
            new("POST", Portal, 200, "session created", (test, tenant) => test.PostAsync(TokenFor(tenant), """{"locale":"fr","returnUrl":"/x"}""")),
            new("POST", Portal, 400, "malformed JSON", (test, tenant) => test.PostAsync(TokenFor(tenant), """{"locale":""")),
            new("POST", Portal, 400, "member name in another case", (test, tenant) => test.PostAsync(TokenFor(tenant), """{"Locale":"fr"}""")),
            new("POST", Portal, 400, "JSON null", (test, tenant) => test.PostAsync(TokenFor(tenant), "null")),
            new("POST", Portal, 400, "unknown locale", (test, tenant) => test.PostAsync(TokenFor(tenant), """{"locale":"xx"}""")),
            new("POST", Portal, 400, "no tenant claim", (test, _) => test.PostAsync(TestTokens.Create(new() { ["roles"] = new[] { Role } }))),
            new("POST", Portal, 401, "no token", (test, _) => test.PostAsync(token: null)),
            new("POST", Portal, 403, "without the role", (test, tenant) => test.PostAsync(TestTokens.ForTenant(tenant, "viewer"))),
            new("POST", Portal, 404, "no tenant row", (test, _) => test.PostAsync(TokenFor(Guid.NewGuid()))),
            new("POST", Portal, 413, "1 MB body", (test, tenant) => test.PostAsync(TokenFor(tenant), $$"""{"returnUrl":"/{{new string('a', 1024 * 1024)}}"}""")),
            new("POST", Portal, 415, "text/plain", (test, tenant) => test.PostAsync(TokenFor(tenant), "locale=fr", "text/plain")),
            new("POST", Portal, 429, "second session in the window", (test, tenant) => test.PostTwiceAsync(tenant)),
            new("POST", Portal, 500, "Stripe fails", (test, tenant) => test.PostWhileStripeFailsAsync(tenant)),
            new("POST", Portal, 503, "Stripe answers 429", (test, tenant) => test.PostWhileStripeLimitsAsync(tenant)),
            new("GET", Audit, 200, "a page with a row", (test, tenant) => test.GetAuditAfterAPostAsync(tenant)),
            new("GET", Audit, 400, "limit out of range", (test, tenant) => test.GetAuditAsync(TokenFor(tenant), "?limit=0")),
            new("GET", Audit, 400, "limit not a number", (test, tenant) => test.GetAuditAsync(TokenFor(tenant), "?limit=abc")),
            new("GET", Audit, 400, "no tenant claim", (test, _) => test.GetAuditAsync(TestTokens.Create(new() { ["roles"] = new[] { Role } }))),
            new("GET", Audit, 401, "no token", (test, _) => test.Client.GetAsync(new Uri(Audit, UriKind.Relative))),
            new("GET", Audit, 403, "without the role", (test, tenant) => test.GetAuditAsync(TestTokens.ForTenant(tenant, "viewer"))),
            new("GET", Audit, 500, "audit table unreadable", (test, tenant) => test.GetAuditWhileItsTableIsGoneAsync(tenant)),
            new("GET", Current, 200, "not synced yet", (test, tenant) => test.SendAsync(HttpMethod.Get, Current, TokenFor(tenant))),
            new("GET", Current, 400, "no tenant claim", (test, _) => test.SendAsync(HttpMethod.Get, Current, TestTokens.Create(new() { ["roles"] = new[] { Role } }))),
            new("GET", Current, 401, "no token", (test, _) => test.SendAsync(HttpMethod.Get, Current, token: null)),
            new("GET", Current, 403, "without the role", (test, tenant) => test.SendAsync(HttpMethod.Get, Current, TestTokens.ForTenant(tenant, "viewer"))),
            new("GET", Current, 404, "no tenant row", (test, _) => test.SendAsync(HttpMethod.Get, Current, TokenFor(Guid.NewGuid()))),
            new("GET", Current, 500, "tenant table unreadable", (test, tenant) => test.WhileTableIsGoneAsync(
                "tenant_config", () => test.SendAsync(HttpMethod.Get, Current, TokenFor(tenant)))),
            new("POST", Sync, 200, "synced", (test, tenant) => test.SendAsync(HttpMethod.Post, Sync, TokenFor(tenant))),
            new("POST", Sync, 400, "no tenant claim", (test, _) => test.SendAsync(HttpMethod.Post, Sync, TestTokens.Create(new() { ["roles"] = new[] { Role } }))),
            new("POST", Sync, 401, "no token", (test, _) => test.SendAsync(HttpMethod.Post, Sync, token: null)),
            new("POST", Sync, 403, "without the role", (test, tenant) => test.SendAsync(HttpMethod.Post, Sync, TestTokens.ForTenant(tenant, "viewer"))),
            new("POST", Sync, 404, "no tenant row", (test, _) => test.SendAsync(HttpMethod.Post, Sync, TokenFor(Guid.NewGuid()))),
            new("POST", Sync, 429, "second sync in the window", (test, tenant) => test.SyncTwiceAsync(tenant)),
            new("POST", Sync, 500, "Stripe fails", (test, tenant) => test.SyncWhileStripeFailsAsync(tenant)),
            new("POST", Sync, 503, "Stripe answers 429", (test, tenant) => test.SyncWhileStripeFailsAsync(tenant, 429)),
            new("GET", Plans, 200, "priced by Stripe", (test, tenant) => test.GetPlansAsync(tenant)),
            new("GET", Plans, 401, "no token", (test, _) => test.SendAsync(HttpMethod.Get, Plans, token: null)),
            new("GET", Plans, 403, "without the role", (test, tenant) => test.SendAsync(HttpMethod.Get, Plans, TestTokens.ForTenant(tenant, "viewer"))),
            new("GET", Plans, 500, "Stripe unreachable", (test, tenant) => test.GetPlansWhileStripeIsUnreachableAsync(tenant)),
            new("GET", Plans, 503, "Stripe answers 429", (test, tenant) => test.GetPlansWhileStripeLimitsAsync(tenant)),
            new("POST", Checkout, 200, "session created", (test, tenant) => test.PostCheckoutAsync(TokenFor(tenant), CheckoutBody)),
            new("POST", Checkout, 400, "price not offered", (test, tenant) => test.PostCheckoutAsync(TokenFor(tenant), """{"priceId":"price_other"}""")),
            new("POST", Checkout, 401, "no token", (test, _) => test.PostCheckoutAsync(token: null, CheckoutBody)),
            new("POST", Checkout, 403, "without the role", (test, tenant) => test.PostCheckoutAsync(TestTokens.ForTenant(tenant, "viewer"), CheckoutBody)),
            new("POST", Checkout, 404, "customer unknown to Stripe", (test, tenant) => test.PostCheckoutWhileStripeAnswersAsync(tenant, 400, "resource_missing")),
            new("POST", Checkout, 409, "subscription live", (test, tenant) => test.PostCheckoutWithLiveSubscriptionAsync(tenant)),
            new("POST", Checkout, 413, "1 MB body", (test, tenant) => test.PostCheckoutAsync(TokenFor(tenant), $$"""{"successUrl":"/{{new string('a', 1024 * 1024)}}"}""")),
            new("POST", Checkout, 415, "text/plain", (test, tenant) => test.PostCheckoutAsync(TokenFor(tenant), "priceId=x", "text/plain")),
            new("POST", Checkout, 429, "second checkout in the window", (test, tenant) => test.PostCheckoutTwiceAsync(tenant)),
            new("POST", Checkout, 500, "Stripe fails", (test, tenant) => test.PostCheckoutWhileStripeAnswersAsync(tenant, 500, code: null)),
            new("POST", Checkout, 503, "Stripe answers 429", (test, tenant) => test.PostCheckoutWhileStripeAnswersAsync(tenant, 429, code: null)),
            new("POST", Webhooks, 200, "signed event", (test, _) => PostEventAsync(test.Client, Signed)),
            new("POST", Webhooks, 400, "wrong signature", (test, _) => PostEventAsync(test.Client, _ => "t=1,v1=00")),
            new("POST", Webhooks, 404, "no webhook secret", (test, _) => test.PostEventWithoutSecretsAsync()),
            new("POST", Webhooks, 413, "over 1 MB", (test, _) => PostEventAsync(test.Client, Signed, padding: 1024 * 1024)),
            new("POST", Webhooks, 500, "inbox unwritable", (test, _) => test.WhileTableIsGoneAsync("stripe_event", () => PostEventAsync(test.Client, Signed))),
        ];
        return exchanges.Select(exchange =>
            new TestCaseData(exchange).SetArgDisplayNames($"{exchange.Method} {exchange.Path} {exchange.Status} {exchange.Case}"));
    }

    private const string Webhooks = StripeWebhookSigner.WebhookPath;

    private static string TokenFor(Guid tenant) => TestTokens.ForTenant(tenant, Role);

    private static string Signed(string body) => StripeWebhookSigner.Sign(body, WebhookSecret);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> SyncTwiceAsync(Guid tenant)
    {
        (await SendAsync(HttpMethod.Post, Sync, TokenFor(tenant))).Dispose();
        return await SendAsync(HttpMethod.Post, Sync, TokenFor(tenant));
    }

    private Task<HttpResponseMessage> SyncWhileStripeFailsAsync(Guid tenant, int status = 500)
    {
        Stripe.FailSubscriptionListsAlways(status);
        return SendAsync(HttpMethod.Post, Sync, TokenFor(tenant));
    }

    private Task<HttpResponseMessage> GetPlansAsync(Guid tenant)
    {
        Stripe.SetPrice(PriceId, 1900);
        return SendAsync(HttpMethod.Get, Plans, TokenFor(tenant));
    }

    /// <summary>The same API with nothing listening at its Stripe address: the first read of a price fails.</summary>
    private Task<HttpResponseMessage> GetPlansWhileStripeIsUnreachableAsync(Guid tenant) =>
        GetPlansFromAFreshApiAsync(tenant, $"http://127.0.0.1:{UnusedPort.Next()}");

    /// <summary>A fresh API, whose first read of a price meets Stripe's 429 (this fixture's API has the price read already).</summary>
    private Task<HttpResponseMessage> GetPlansWhileStripeLimitsAsync(Guid tenant)
    {
        Stripe.RespondToPricesWithError(429, "rate_limit_error");
        return GetPlansFromAFreshApiAsync(tenant, Stripe.BaseUrl);
    }

    private async Task<HttpResponseMessage> GetPlansFromAFreshApiAsync(Guid tenant, string stripeApiBase)
    {
        await using var fresh = BillingApiFactory.Create(ConnectionString, stripeApiBase, SettingOverrides);
        using var request = new HttpRequestMessage(HttpMethod.Get, Plans);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(tenant));
        var response = await fresh.CreateClient().SendAsync(request);
        // Read now: the body goes with the host.
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private async Task<HttpResponseMessage> PostCheckoutAsync(string? token, string body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Checkout) { Content = new StringContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostCheckoutTwiceAsync(Guid tenant)
    {
        (await PostCheckoutAsync(TokenFor(tenant), CheckoutBody)).Dispose();
        return await PostCheckoutAsync(TokenFor(tenant), CheckoutBody);
    }

    private Task<HttpResponseMessage> PostCheckoutWhileStripeAnswersAsync(Guid tenant, int status, string? code)
    {
        Stripe.RespondToCheckoutWithError(status, status == 500 ? "api_error" : "invalid_request_error", code, code is null ? null : "customer");
        return PostCheckoutAsync(TokenFor(tenant), CheckoutBody);
    }

    private async Task<HttpResponseMessage> PostCheckoutWithLiveSubscriptionAsync(Guid tenant)
    {
        await (TenantBilling.NoneFor($"cus_contract_{tenant:N}") with { Status = "active", SubscriptionId = "sub_contract" })
            .WriteAsync(ConnectionString, tenant);
        return await PostCheckoutAsync(TokenFor(tenant), CheckoutBody);
    }

    /// <summary>An event for a customer of no tenant; <paramref name="padding"/> characters of metadata make it as large as a test needs.</summary>
    private static async Task<HttpResponseMessage> PostEventAsync(HttpClient client, Func<string, string> sign, int padding = 0)
    {
        var body = StripeWebhookSigner.Event(
            "customer.subscription.updated",
            new { id = "sub_contract", @object = "subscription", customer = "cus_of_no_tenant", metadata = new { padding = new string('a', padding) } });
        using var request = StripeWebhookSigner.Request(body, sign(body));
        return await client.SendAsync(request);
    }

    /// <summary>The same API without a webhook secret: the endpoint is off.</summary>
    private async Task<HttpResponseMessage> PostEventWithoutSecretsAsync()
    {
        await using var withoutSecrets = BillingApiFactory.Create(
            ConnectionString, Stripe.BaseUrl, new Dictionary<string, string?>(SettingOverrides) { ["Stripe:WebhookSecrets:0"] = null });
        var response = await PostEventAsync(withoutSecrets.CreateClient(), Signed);
        // Read now: the body goes with the host.
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private IEnumerable<JsonNode> AuditParameters() => contract.Operation("GET", Audit)["parameters"]!.AsArray().Select(parameter => parameter!);

    private IEnumerable<string> EnumOf(string member) =>
        contract.Schema("PortalSessionRequest")["properties"]![member]!["enum"]!.AsArray().Select(value => value!.GetValue<string>());

    private async Task<HttpResponseMessage> PostTwiceAsync(Guid tenant)
    {
        (await PostAsync(TokenFor(tenant))).Dispose();
        return await PostAsync(TokenFor(tenant));
    }

    private Task<HttpResponseMessage> PostWhileStripeFailsAsync(Guid tenant)
    {
        Stripe.RespondWithError(500, "api_error");
        return PostAsync(TokenFor(tenant));
    }

    private Task<HttpResponseMessage> PostWhileStripeLimitsAsync(Guid tenant)
    {
        Stripe.RespondWithError(429, "rate_limit_error");
        return PostAsync(TokenFor(tenant));
    }

    private async Task<HttpResponseMessage> GetAuditAfterAPostAsync(Guid tenant)
    {
        (await PostAsync(TokenFor(tenant), """{"flow":"payment_method_update"}""")).Dispose();
        return await GetAuditAsync(TokenFor(tenant));
    }

    private Task<HttpResponseMessage> GetAuditWhileItsTableIsGoneAsync(Guid tenant) =>
        WhileTableIsGoneAsync("billing_portal_audit", () => GetAuditAsync(TokenFor(tenant)));

    /// <summary>The database fails a statement on <paramref name="table"/> as it would any statement; this fixture's database is its own.</summary>
    private async Task<HttpResponseMessage> WhileTableIsGoneAsync(string table, Func<Task<HttpResponseMessage>> send)
    {
        await ExecuteAsync($"ALTER TABLE {table} RENAME TO {table}_away");
        try
        {
            return await send();
        }
        finally
        {
            await ExecuteAsync($"ALTER TABLE {table}_away RENAME TO {table}");
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
