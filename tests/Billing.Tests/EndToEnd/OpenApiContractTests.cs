using System.Text.Json.Nodes;
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

    private OpenApiContract contract = null!;

    protected override bool ListensOnKestrel => true;

    protected override IReadOnlyDictionary<string, string?> SettingOverrides { get; } = new Dictionary<string, string?>
    {
        ["Portal:RequiredRoles:0"] = Role,
        // One session per tenant per minute: every exchange below uses a tenant of its own, and the 429 one asks twice.
        ["Portal:RateLimit:PermitLimit"] = "1",
        ["Portal:RateLimit:WindowSeconds"] = "60",
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
            new("GET", Audit, 200, "a page with a row", (test, tenant) => test.GetAuditAfterAPostAsync(tenant)),
            new("GET", Audit, 400, "limit out of range", (test, tenant) => test.GetAuditAsync(TokenFor(tenant), "?limit=0")),
            new("GET", Audit, 400, "limit not a number", (test, tenant) => test.GetAuditAsync(TokenFor(tenant), "?limit=abc")),
            new("GET", Audit, 400, "no tenant claim", (test, _) => test.GetAuditAsync(TestTokens.Create(new() { ["roles"] = new[] { Role } }))),
            new("GET", Audit, 401, "no token", (test, _) => test.Client.GetAsync(new Uri(Audit, UriKind.Relative))),
            new("GET", Audit, 403, "without the role", (test, tenant) => test.GetAuditAsync(TestTokens.ForTenant(tenant, "viewer"))),
            new("GET", Audit, 500, "audit table unreadable", (test, tenant) => test.GetAuditWhileItsTableIsGoneAsync(tenant)),
        ];
        return exchanges.Select(exchange =>
            new TestCaseData(exchange).SetArgDisplayNames($"{exchange.Method} {exchange.Path} {exchange.Status} {exchange.Case}"));
    }

    private static string TokenFor(Guid tenant) => TestTokens.ForTenant(tenant, Role);

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

    private async Task<HttpResponseMessage> GetAuditAfterAPostAsync(Guid tenant)
    {
        (await PostAsync(TokenFor(tenant), """{"flow":"payment_method_update"}""")).Dispose();
        return await GetAuditAsync(TokenFor(tenant));
    }

    /// <summary>The database fails the read as it would any statement; this fixture's database is its own.</summary>
    private async Task<HttpResponseMessage> GetAuditWhileItsTableIsGoneAsync(Guid tenant)
    {
        await ExecuteAsync("ALTER TABLE billing_portal_audit RENAME TO billing_portal_audit_away");
        try
        {
            return await GetAuditAsync(TokenFor(tenant));
        }
        finally
        {
            await ExecuteAsync("ALTER TABLE billing_portal_audit_away RENAME TO billing_portal_audit");
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
