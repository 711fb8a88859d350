using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Billing.Tests.EndToEnd;
using Billing.Tests.Support;

namespace Billing.Tests.Reliability;

/// <summary>
/// Every kind of answer the API gives on real Kestrel, success or failure, whoever writes it (MVC, JwtBearer,
/// routing, Kestrel's limits, health checks, Prometheus, Swagger), carries <c>Cache-Control: no-store</c> and
/// <c>X-Content-Type-Options: nosniff</c>; and CORS answers only the SPA's own origin.
/// </summary>
public sealed class ResponseHygieneTests : EndToEndTestBase
{
    private const string OtherOrigin = "https://evil.example";
    private static readonly Guid Tenant = Guid.NewGuid();

    protected override bool ListensOnKestrel => true;

    [OneTimeSetUp]
    public Task SeedTenant() => TenantSeeder.UpsertAsync(ConnectionString, Tenant, "cus_hygiene");

    [TestCase("POST", Endpoint, "{}", true, HttpStatusCode.OK)]
    [TestCase("POST", Endpoint, "{\"returnUrl\":\"//evil.example\"}", true, HttpStatusCode.BadRequest)]
    [TestCase("POST", Endpoint, null, false, HttpStatusCode.Unauthorized)]
    [TestCase("POST", Endpoint, "LARGE", true, HttpStatusCode.RequestEntityTooLarge)]
    [TestCase("DELETE", Endpoint, null, true, HttpStatusCode.MethodNotAllowed)]
    [TestCase("GET", AuditEndpoint, null, true, HttpStatusCode.OK)]
    [TestCase("GET", "/api/nothing-here", null, true, HttpStatusCode.NotFound)]
    [TestCase("GET", "/health/live", null, false, HttpStatusCode.OK)]
    [TestCase("GET", "/health/ready", null, false, HttpStatusCode.OK)]
    [TestCase("GET", "/metrics", null, false, HttpStatusCode.OK)]
    [TestCase("GET", "/swagger/v1/swagger.json", null, false, HttpStatusCode.OK)]
    public async Task AnyResponse_CarriesNoStoreAndNoSniff(string method, string path, string? body, bool withToken, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (withToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForTenant(Tenant));
        }

        if (body is not null)
        {
            request.Content = new StringContent(body == "LARGE" ? new string(' ', 64 * 1024) + "{}" : body, Encoding.UTF8, "application/json");
        }

        using var response = await Client.SendAsync(request);

        AssertNoStoreNoSniff(response, expected);
    }

    [TestCase("{}", HttpStatusCode.OK)]
    [TestCase("{\"returnUrl\":\"//evil.example\"}", HttpStatusCode.BadRequest)]
    public async Task Post_JsonAnswer_IsSentWithItsContentLengthNotChunked(string body, HttpStatusCode expected)
    {
        using var response = await PostAsync(TestTokens.ForTenant(Tenant), body);

        var length = (await response.Content.ReadAsByteArrayAsync()).Length;
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(expected));
            Assert.That(response.Headers.TransferEncodingChunked, Is.Not.True);
            Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(length));
        });
    }

    [Test]
    public async Task Post_StripeFails_The500AlsoCarriesNoStoreAndNoSniff()
    {
        Stripe.RespondWithError(500, "api_error");

        using var response = await PostAsync(TestTokens.ForTenant(Tenant));

        AssertNoStoreNoSniff(response, HttpStatusCode.InternalServerError);
    }

    [Test]
    public async Task Preflight_FromTheSpaOrigin_GetsExactlyThatOriginBackForPostWithAuthorization()
    {
        using var response = await PreflightAsync(BillingApiFactory.PublicUrl);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo(BillingApiFactory.PublicUrl));
            Assert.That(response.Headers.GetValues("Access-Control-Allow-Methods").Single(), Is.EqualTo("POST"));
            Assert.That(response.Headers.GetValues("Access-Control-Allow-Headers").Single(), Is.EqualTo("Authorization,Content-Type"));
            Assert.That(response.Headers.Contains("Access-Control-Allow-Credentials"), Is.False);
        });
    }

    [TestCase(OtherOrigin)]
    [TestCase("https://app.example.com.evil.example")]
    [TestCase("http://app.example.com")]
    [TestCase("null")]
    public async Task Preflight_FromAnyOtherOrigin_GetsNoAllowOrigin(string origin)
    {
        using var response = await PreflightAsync(origin);

        Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    [Test]
    public async Task Post_FromAnotherOrigin_GetsNoAllowOriginSoTheBrowserHidesTheAnswer()
    {
        using var fromOtherOrigin = await PostFromAsync(OtherOrigin);
        using var fromSpa = await PostFromAsync(BillingApiFactory.PublicUrl);

        Assert.Multiple(() =>
        {
            Assert.That(fromOtherOrigin.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
            // With CORS off, no origin would get the header either.
            Assert.That(fromSpa.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo(BillingApiFactory.PublicUrl), "CORS is on");
        });
    }

    private static void AssertNoStoreNoSniff(HttpResponseMessage response, HttpStatusCode expected) =>
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(expected));
            Assert.That(response.Headers.CacheControl?.ToString(), Is.EqualTo("no-store"));
            Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        });

    private async Task<HttpResponseMessage> PostFromAsync(string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForTenant(Tenant));
        request.Headers.Add("Origin", origin);
        return await Client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PreflightAsync(string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, Endpoint);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return await Client.SendAsync(request);
    }
}
