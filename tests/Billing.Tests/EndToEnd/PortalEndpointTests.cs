using System.Net;
using System.Net.Http.Json;
using Billing.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Billing.Tests.EndToEnd;

/// <summary>Every row of the HTTP contract over real HTTP: real JWT validation, PostgreSQL and the Stripe fake.</summary>
public sealed class PortalEndpointTests : EndToEndTestBase
{
    private static readonly Guid TenantWithCustomer = Guid.NewGuid();
    private static readonly Guid TenantWithNullCustomer = Guid.NewGuid();
    private static readonly Guid TenantWithEmptyCustomer = Guid.NewGuid();
    private static readonly Guid TenantWithoutRow = Guid.NewGuid();

    [OneTimeSetUp]
    public async Task SeedTenants()
    {
        await TenantSeeder.UpsertAsync(ConnectionString, TenantWithCustomer, "cus_with");
        await TenantSeeder.UpsertAsync(ConnectionString, TenantWithNullCustomer, null);
        await TenantSeeder.UpsertAsync(ConnectionString, TenantWithEmptyCustomer, "");
    }

    [Test]
    public async Task Post_TenantWithCustomer_Returns200WithTheSessionUrlAndNoStore()
    {
        using var response = await PostAsync(TestTokens.ForTenant(TenantWithCustomer));

        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(body, Has.Count.EqualTo(1));
            // Not just any session URL (every one the fake hands out looks alike): the one Stripe created for this request.
            Assert.That(body?["url"], Is.EqualTo(Stripe.IssuedUrls.Single()));
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
            Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        });
    }

    [Test]
    public async Task Post_TenantWithCustomer_SendsStripeThatTenantsCustomerAndTheConfiguredReturnUrl()
    {
        using var response = await PostAsync(TestTokens.ForTenant(TenantWithCustomer));

        var request = Stripe.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Form["customer"], Is.EqualTo("cus_with"));
            Assert.That(request.Form["return_url"], Is.EqualTo("https://app.example.com/settings/billing"));
        });
    }

    [TestCase(null, null)]
    [TestCase("{}", "application/json")]
    [TestCase("{}", "application/json; charset=utf-8")]
    public async Task Post_NoBodyOrEmptyObject_Returns200(string? body, string? contentType)
    {
        using var response = await PostAsync(TestTokens.ForTenant(TenantWithCustomer), body, contentType);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Post_TokenWithoutTenantClaim_Returns400NoTenantContextFound()
    {
        using var response = await PostAsync(TestTokens.Create());

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "No tenant context found");
        Assert.That(Stripe.Requests, Is.Empty);
    }

    [TestCase("acme")]
    [TestCase("' OR 1=1 --")]
    [TestCase("00000000-0000-0000-0000-000000000000")]
    public async Task Post_TenantClaimNotAUuid_Returns400NoTenantContextFound(string tenantClaim)
    {
        using var response = await PostAsync(TestTokens.Create(new() { [TestTokens.TenantClaim] = tenantClaim }));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "No tenant context found");
        Assert.That(Stripe.Requests, Is.Empty);
    }

    [TestCaseSource(nameof(TenantsWithoutUsableCustomer))]
    public async Task Post_TenantWithoutUsableCustomer_Returns404NoStripeCustomerAndStripeIsNotCalled(Guid tenant)
    {
        using var response = await PostAsync(TestTokens.ForTenant(tenant));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "No Stripe customer found for this tenant");
        Assert.That(Stripe.Requests, Is.Empty);
    }

    [Test]
    public async Task Post_StripeDoesNotKnowTheCustomer_Returns404AndLogsThatTheStoredIdIsStale()
    {
        Stripe.RespondWithError(400, "invalid_request_error", "resource_missing", "customer", "No such customer: 'cus_with'");

        using var response = await PostAsync(TestTokens.ForTenant(TenantWithCustomer));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "No Stripe customer found for this tenant");
        Assert.That(Factory.Logs.GetSnapshot().Any(record =>
            record.Level == LogLevel.Warning && record.Message.Contains("stale", StringComparison.Ordinal)
            && record.Message.Contains(TenantWithCustomer.ToString(), StringComparison.Ordinal)), Is.True);
    }

    [TestCase(500, "api_error")]
    [TestCase(401, "invalid_request_error")]
    [TestCase(400, "invalid_request_error")]
    public async Task Post_StripeFails_Returns500WithoutLeakingStripesMessage(int status, string type)
    {
        Stripe.RespondWithError(status, type, message: "Invalid API Key provided: sk_test_****6789");

        using var response = await PostAsync(TestTokens.ForTenant(TenantWithCustomer));

        var body = await AssertProblemAsync(response, HttpStatusCode.InternalServerError, "Internal server error");
        Assert.Multiple(() =>
        {
            Assert.That(body, Does.Not.Contain("sk_test").And.Not.Contain("Invalid API Key").And.Not.Contain("req_fake"));
            Assert.That(body, Does.Not.Contain("Exception"));
        });
    }

    [Test]
    public async Task Post_StripeFails_LogsStripesRequestIdButNeverTheKeyOrMessage()
    {
        Stripe.RespondWithError(500, "api_error", message: "Invalid API Key provided: sk_test_****6789");

        using var response = await PostAsync(TestTokens.ForTenant(TenantWithCustomer));

        var logs = Factory.Logs.GetSnapshot();
        Assert.Multiple(() =>
        {
            Assert.That(logs.Any(record => record.Level == LogLevel.Error && record.Exception?.Message.Contains("req_fake_1", StringComparison.Ordinal) == true), Is.True);
            Assert.That(logs.Select(record => $"{record.Message} {record.Exception}"), Has.None.Contains("sk_test_"));
        });
    }

    [Test]
    public async Task Post_StripeFails_ErrorLogCarriesTheTenantAndTheOutcomeOnItsScope()
    {
        Stripe.RespondWithError(500, "api_error");

        using var response = await PostAsync(TestTokens.ForTenant(TenantWithCustomer));

        var error = Factory.Logs.GetSnapshot().Last(record => record.Level == LogLevel.Error);
        var scope = error.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>().SelectMany(pairs => pairs)
            .ToLookup(pair => pair.Key, pair => pair.Value?.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(scope["TenantId"], Is.EqualTo(new[] { TenantWithCustomer.ToString() }));
            Assert.That(scope["Outcome"], Is.EqualTo(new[] { "stripe_error" }));
            Assert.That(scope["TraceId"].Single(), Is.Not.Empty);
        });
    }

    [Test]
    public async Task Post_SuccessfulSession_NeverLogsThePortalUrl()
    {
        using var response = await PostAsync(TestTokens.ForTenant(TenantWithCustomer));
        var url = (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>())!["url"];

        Assert.That(Factory.Logs.GetSnapshot().Select(record => record.Message), Has.None.Contains(url));
    }

    private static IEnumerable<TestCaseData> TenantsWithoutUsableCustomer()
    {
        yield return new TestCaseData(TenantWithoutRow).SetArgDisplayNames("no tenant_config row");
        yield return new TestCaseData(TenantWithNullCustomer).SetArgDisplayNames("null customer id");
        yield return new TestCaseData(TenantWithEmptyCustomer).SetArgDisplayNames("empty customer id");
    }
}
