using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Tests.Support;
using Npgsql;

namespace Billing.Tests.EndToEnd;

/// <summary>The optional body, the per-tenant configuration and the audit trail, over HTTP.</summary>
public sealed class PortalOptionsEndpointTests : EndToEndTestBase
{
    private static readonly Guid Subscribed = Guid.NewGuid();
    private static readonly Guid WithoutSubscription = Guid.NewGuid();
    private static readonly Guid OwnConfiguration = Guid.NewGuid();
    private static readonly Guid AuditFails = Guid.NewGuid();

    protected override IReadOnlyDictionary<string, string?> SettingOverrides { get; } = new Dictionary<string, string?>
    {
        ["Stripe:PortalConfigurationId"] = "bpc_service",
        ["Portal:AllowedReturnOrigins:0"] = BillingApiFactory.PublicUrl,
        ["Portal:AllowedReturnOrigins:1"] = "https://admin.example.com",
    };

    [OneTimeSetUp]
    public async Task SeedTenants()
    {
        await TenantSeeder.UpsertAsync(ConnectionString, Subscribed, "cus_subscribed", "sub_subscribed");
        await TenantSeeder.UpsertAsync(ConnectionString, WithoutSubscription, "cus_plain");
        await TenantSeeder.UpsertAsync(ConnectionString, OwnConfiguration, "cus_own", portalConfigurationId: "bpc_tenant");
        await TenantSeeder.UpsertAsync(ConnectionString, AuditFails, "cus_audit_fails");
        await ExecuteAsync($"""
            CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'audit storage unavailable'; END $$;
            CREATE TRIGGER refuse_audit BEFORE INSERT ON billing_portal_audit
            FOR EACH ROW WHEN (NEW.tenant_id = '{AuditFails}') EXECUTE FUNCTION refuse_audit();
            """);
    }

    [Test]
    public async Task Post_EveryOption_StripeReceivesFlowLocaleReturnUrlAndTheServiceWideConfiguration()
    {
        Stripe.SetSubscriptions("cus_subscribed", new FakeSubscription("sub_subscribed", "active", DateTimeOffset.UnixEpoch));
        using var response = await PostAsync(TestTokens.ForTenant(Subscribed),
            """{"returnUrl":"/settings/billing?tab=invoices","flow":"subscription_cancel","locale":"fr"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Stripe.Requests.Single().Form, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["customer"] = "cus_subscribed",
            ["return_url"] = "https://app.example.com/settings/billing?tab=invoices",
            ["locale"] = "fr",
            ["configuration"] = "bpc_service",
            ["flow_data[type]"] = "subscription_cancel",
            ["flow_data[subscription_cancel][subscription]"] = "sub_subscribed",
            ["flow_data[after_completion][type]"] = "redirect",
            ["flow_data[after_completion][redirect][return_url]"] = "https://app.example.com/settings/billing?tab=invoices",
        }));
    }

    [Test]
    public async Task Post_AbsoluteReturnUrlOnAnAllowedOrigin_IsSentToStripe()
    {
        using var response = await PostAsync(TestTokens.ForTenant(WithoutSubscription), """{"returnUrl":"https://admin.example.com/billing"}""");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Stripe.Requests.Single().Form["return_url"], Is.EqualTo("https://admin.example.com/billing"));
    }

    [Test]
    public async Task Post_TenantWithItsOwnConfiguration_StripeReceivesThatConfiguration()
    {
        using var response = await PostAsync(TestTokens.ForTenant(OwnConfiguration), "{}");

        Assert.That(Stripe.Requests.Single().Form["configuration"], Is.EqualTo("bpc_tenant"));
    }

    [Test]
    public async Task Post_SubscriptionFlowWithoutSubscription_Returns404NoSubscriptionAndAuditsIt()
    {
        using var response = await PostAsync(TestTokens.ForTenant(WithoutSubscription), """{"flow":"subscription_update"}""");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "No Stripe subscription found for this tenant");
        var audit = await AuditRowsAsync(WithoutSubscription);
        Assert.Multiple(() =>
        {
            Assert.That(Stripe.Requests, Is.Empty);
            Assert.That(audit[^1].Outcome, Is.EqualTo("no_subscription"));
        });
    }

    [TestCase("""{"returnUrl":"https://evil.example/"}""", "returnUrl")]
    [TestCase("""{"returnUrl":"//evil.example"}""", "returnUrl")]
    [TestCase("""{"returnUrl":"/\\evil.example"}""", "returnUrl")]
    [TestCase("""{"returnUrl":"https:evil.example"}""", "returnUrl")]
    [TestCase("""{"returnUrl":"https://app.example.com@evil.example"}""", "returnUrl")]
    [TestCase("""{"returnUrl":"https://app.example.com.evil.example/"}""", "returnUrl")]
    [TestCase("""{"returnUrl":"javascript:alert(1)"}""", "returnUrl")]
    [TestCase("""{"returnUrl":"/settings\r\n"}""", "returnUrl")]
    [TestCase("""{"flow":"subscription_pause"}""", "flow")]
    [TestCase("""{"locale":"en-US"}""", "locale")]
    public async Task Post_InvalidOption_Returns400ValidationFailedKeyedByFieldAndNeverCallsStripe(string body, string field)
    {
        using var response = await PostAsync(TestTokens.ForTenant(WithoutSubscription), body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "Validation failed");
        using var document = JsonDocument.Parse(problem);
        Assert.Multiple(() =>
        {
            Assert.That(document.RootElement.GetProperty("errors").EnumerateObject().Select(error => error.Name), Is.EqualTo(new[] { field }));
            Assert.That(Stripe.Requests, Is.Empty);
        });
    }

    [TestCase("""{"customer":"cus_someone_else"}""")]
    [TestCase("""{"tenantId":"11111111-1111-4111-8111-111111111111"}""")]
    [TestCase("""{"locale":"fr","stripeCustomerId":"cus_someone_else"}""")]
    public async Task Post_UnknownMember_Returns400AndStripeIsNotCalled(string body)
    {
        using var response = await PostAsync(TestTokens.ForTenant(WithoutSubscription), body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "Validation failed");
        Assert.Multiple(() =>
        {
            Assert.That(problem, Does.Not.Contain("Billing.Application"));
            Assert.That(Stripe.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task Post_InvalidOption_IsAuditedAsInvalidRequestWithWhatWasAskedFor()
    {
        var tenant = Guid.NewGuid();

        using var response = await PostAsync(TestTokens.ForTenant(tenant), """{"returnUrl":"https://evil.example/","locale":"fr"}""");

        var row = (await AuditRowsAsync(tenant)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(row.Outcome, Is.EqualTo("invalid_request"));
            Assert.That(row.Row, Does.Contain("https://evil.example/").And.Contain("fr"));
        });
    }

    [Test]
    public async Task Post_MalformedJsonAndWrongContentType_AreAuditedAsInvalidRequests()
    {
        var tenant = Guid.NewGuid();

        using var malformed = await PostAsync(TestTokens.ForTenant(tenant), "{\"flow\":");
        using var wrongType = await PostAsync(TestTokens.ForTenant(tenant), "flow=x", "text/plain");

        Assert.That((await AuditRowsAsync(tenant)).Select(row => row.Outcome), Is.EqualTo(new[] { "invalid_request", "invalid_request" }));
    }

    [Test]
    public async Task Post_SessionCreated_AuditsCreatedWithSessionAndRequestIdsButNeverTheUrl()
    {
        using var response = await PostAsync(TestTokens.ForTenant(OwnConfiguration), """{"locale":"de"}""");
        var url = (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!["url"];

        var (outcome, row) = (await AuditRowsAsync(OwnConfiguration))[^1];
        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo("created"));
            Assert.That(row, Does.Contain("bps_").And.Contain("cus_own").And.Contain("bpc_tenant").And.Contain("req_fake_1").And.Contain("user-1"));
            Assert.That(row, Does.Not.Contain(url).And.Not.Contain("billing.stripe.com"));
        });
    }

    [Test]
    public async Task Post_StripeFails_AuditsStripeErrorWithStripesRequestId()
    {
        var tenant = Guid.NewGuid();
        await TenantSeeder.UpsertAsync(ConnectionString, tenant, $"cus_failing_{tenant:N}");
        Stripe.RespondWithError(500, "api_error");

        using var response = await PostAsync(TestTokens.ForTenant(tenant), "{}");

        var (outcome, row) = (await AuditRowsAsync(tenant)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(outcome, Is.EqualTo("stripe_error"));
            Assert.That(row, Does.Contain("req_fake_1"));
        });
    }

    [Test]
    public async Task Post_AuditRowCannotBeWritten_Returns500AndHandsOutNoUrl()
    {
        using var response = await PostAsync(TestTokens.ForTenant(AuditFails), "{}");

        var body = await AssertProblemAsync(response, HttpStatusCode.InternalServerError, "Internal server error");
        Assert.Multiple(() =>
        {
            Assert.That(Stripe.Requests, Has.Count.EqualTo(1), "the session was created at Stripe");
            Assert.That(body, Does.Not.Contain("billing.stripe.com"));
        });
    }

    [Test]
    public async Task GetAudit_TwoTenants_ReturnsOnlyTheCallersRowsNewestFirst()
    {
        var tenant = Guid.NewGuid();
        var neighbour = Guid.NewGuid();
        await TenantSeeder.UpsertAsync(ConnectionString, tenant, "cus_mine");
        (await PostAsync(TestTokens.ForTenant(tenant), """{"locale":"fr"}""")).Dispose();
        (await PostAsync(TestTokens.ForTenant(neighbour), "{}")).Dispose();
        (await PostAsync(TestTokens.ForTenant(tenant), """{"flow":"subscription_cancel"}""")).Dispose();

        using var response = await GetAuditAsync(TestTokens.ForTenant(tenant));
        var page = await response.Content.ReadFromJsonAsync<AuditPage>();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(page!.Items.Select(item => item.Outcome), Is.EqualTo(new[] { "no_subscription", "created" }));
            Assert.That(page.Items.Select(item => item.StripeCustomerId), Is.All.EqualTo("cus_mine"));
            Assert.That(page.NextCursor, Is.Null);
        });
    }

    [Test]
    public async Task GetAudit_SmallPages_FollowingNextCursorWalksEveryRowOnce()
    {
        var tenant = Guid.NewGuid();
        for (var i = 0; i < 5; i++)
        {
            (await PostAsync(TestTokens.ForTenant(tenant), "{}")).Dispose();
        }

        var ids = new List<long>();
        var query = "?limit=2";
        for (var page = 0; page < 5; page++)
        {
            using var response = await GetAuditAsync(TestTokens.ForTenant(tenant), query);
            var body = (await response.Content.ReadFromJsonAsync<AuditPage>())!;
            ids.AddRange(body.Items.Select(item => item.Id));
            if (body.NextCursor is null)
            {
                break;
            }

            query = $"?limit=2&before={body.NextCursor}";
        }

        Assert.That(ids, Is.Unique.And.Count.EqualTo(5).And.Ordered.Descending);
    }

    [TestCase("?limit=0", "limit")]
    [TestCase("?limit=101", "limit")]
    [TestCase("?limit=abc", "limit")]
    [TestCase("?before=forged", "before")]
    public async Task GetAudit_InvalidQuery_Returns400ValidationFailed(string query, string field)
    {
        using var response = await GetAuditAsync(TestTokens.ForTenant(Guid.NewGuid()), query);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "Validation failed");
        using var document = JsonDocument.Parse(problem);
        Assert.That(document.RootElement.GetProperty("errors").EnumerateObject().Select(error => error.Name.ToLowerInvariant()),
            Does.Contain(field));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private sealed record AuditPage(List<AuditItem> Items, string? NextCursor);

    private sealed record AuditItem(long Id, string Outcome, string? StripeCustomerId);
}
