using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Billing.Tests.EndToEnd;
using Billing.Tests.Support;

namespace Billing.Tests.Reliability;

/// <summary>
/// Requests no SPA would send, against the API on real Kestrel (so that its request limits apply): each gets the
/// exact 4xx problem+json, never a 500 or a stack trace; Stripe never hears of it, and a request that reached the
/// endpoint leaves exactly one invalid_request row in the caller's audit trail.
/// </summary>
public sealed class HostileInputTests : EndToEndTestBase
{
    private const int OneMegabyte = 1024 * 1024;

    // Each request comes from a tenant of its own, so that its audit trail shows what that request alone left.
    private Guid tenant;

    protected override bool ListensOnKestrel => true;

    [SetUp]
    public async Task SeedTenant()
    {
        tenant = Guid.NewGuid();
        await TenantSeeder.UpsertAsync(ConnectionString, tenant, $"cus_hostile_{tenant:N}");
    }

    [TestCaseSource(nameof(MalformedBodies))]
    public async Task Post_MalformedBody_Returns400ValidationFailed(string body)
    {
        using var response = await SendAsync(HttpMethod.Post, Encoding.UTF8.GetBytes(body));

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "Validation failed");
    }

    [Test]
    public async Task Post_InvalidUtf8_Returns400ValidationFailed()
    {
        using var response = await SendAsync(HttpMethod.Post, [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "Validation failed");
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Post_OneMegabyteBody_Returns413BeforeReadingItAll(bool chunked)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"returnUrl":"/{{new string('a', OneMegabyte)}}"}""");

        using var response = await SendAsync(HttpMethod.Post, body, chunked: chunked);

        await AssertRefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, "Content Too Large");
    }

    [Test]
    public async Task Post_BodyJustUnderTheLimit_IsReadAndJudgedOnItsContent()
    {
        var body = Encoding.UTF8.GetBytes($$"""{"returnUrl":"/{{new string('a', 16 * 1024 - 20)}}"}""");

        using var response = await SendAsync(HttpMethod.Post, body);

        var problem = await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "Validation failed");
        Assert.That(FieldsInError(problem), Is.EqualTo(new[] { "returnUrl" }));
    }

    [TestCase("text/plain")]
    [TestCase("application/x-www-form-urlencoded")]
    [TestCase("application/xml")]
    [TestCase("multipart/form-data; boundary=x")]
    public async Task Post_NotJson_Returns415(string contentType)
    {
        using var response = await SendAsync(HttpMethod.Post, Encoding.UTF8.GetBytes("customer=cus_other"), contentType);

        await AssertRefusedAsync(response, HttpStatusCode.UnsupportedMediaType, "Unsupported Media Type");
    }

    [TestCase("text/json")]
    [TestCase("application/merge-patch+json")]
    [TestCase("application/vnd.api+json")]
    public async Task Post_JsonMediaTypeOtherThanApplicationJson_Returns415(string contentType)
    {
        using var response = await SendAsync(HttpMethod.Post, "{}"u8.ToArray(), contentType);

        await AssertRefusedAsync(response, HttpStatusCode.UnsupportedMediaType, "Unsupported Media Type");
    }

    [Test]
    public async Task Post_JsonNull_Returns400ValidationFailed()
    {
        using var response = await SendAsync(HttpMethod.Post, "null"u8.ToArray());

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "Validation failed");
    }

    [TestCase("""{"Locale":"fr"}""")]
    [TestCase("""{"RETURNURL":"/x"}""")]
    public async Task Post_MemberNameInAnotherCase_Returns400ValidationFailed(string body)
    {
        using var response = await SendAsync(HttpMethod.Post, Encoding.UTF8.GetBytes(body));

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "Validation failed");
    }

    [Test]
    public async Task Post_RequestTargetOver8KB_Returns414ProblemWithTheSecurityHeaders()
    {
        using var response = await SendAsync(HttpMethod.Post, "{}"u8.ToArray(), path: $"{Endpoint}?pad={new string('a', 9 * 1024)}");

        // Refused before authentication: no tenant is known, so nothing is audited.
        await AssertRefusedAsync(response, HttpStatusCode.RequestUriTooLong, "URI Too Long", audited: false);
        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
    }

    [Test]
    public async Task Post_HeadersOver32KB_Returns431ProblemWithTheSecurityHeaders()
    {
        var padding = Enumerable.Range(0, 5).ToDictionary(index => $"X-Pad-{index}", _ => new string('a', 8 * 1024));

        using var response = await SendAsync(HttpMethod.Post, "{}"u8.ToArray(), headers: padding);

        await AssertRefusedAsync(response, HttpStatusCode.RequestHeaderFieldsTooLarge, "Request Header Fields Too Large", audited: false);
        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
    }

    [Test]
    public async Task Post_RequestTargetOver64KB_GetsKestrelsOwnBare414()
    {
        using var response = await SendAsync(HttpMethod.Post, "{}"u8.ToArray(), path: $"{Endpoint}?pad={new string('a', 65 * 1024)}");

        // Beyond Kestrel's raised limit the request never reaches the pipeline: no problem body, no security headers.
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestUriTooLong));
            Assert.That(response.Content.Headers.ContentLength, Is.Zero);
            Assert.That(response.Headers.CacheControl, Is.Null);
        });
    }

    [TestCase("GET")]
    [TestCase("PUT")]
    [TestCase("DELETE")]
    [TestCase("PATCH")]
    public async Task OtherMethod_Returns405WithAllowPost(string method)
    {
        using var response = await SendAsync(new HttpMethod(method), method == "GET" ? null : "{}"u8.ToArray());

        await AssertRefusedAsync(response, HttpStatusCode.MethodNotAllowed, "Method Not Allowed", audited: false);
        Assert.That(response.Content.Headers.Allow, Is.EqualTo(new[] { "POST" }));
    }

    [TestCaseSource(nameof(OpenRedirects))]
    public async Task Post_OpenRedirectReturnUrl_Returns400KeyedByReturnUrl(string returnUrl)
    {
        using var response = await SendAsync(HttpMethod.Post, JsonSerializer.SerializeToUtf8Bytes(new { returnUrl }));

        var problem = await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "Validation failed");
        Assert.That(FieldsInError(problem), Is.EqualTo(new[] { "returnUrl" }));
    }

    [TestCase("flow", "payment_method_update\r\nX-Injected: 1")]
    [TestCase("locale", "fr\r\n")]
    [TestCase("locale", "fr\u0000")]
    [TestCase("returnUrl", "/settings\r\nSet-Cookie: a=b")]
    [TestCase("returnUrl", "/settings\u0000")]
    public async Task Post_ControlCharactersInAString_Returns400KeyedByThatField(string field, string value)
    {
        using var response = await SendAsync(HttpMethod.Post, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { [field] = value }));

        var problem = await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "Validation failed");
        Assert.That(FieldsInError(problem), Is.EqualTo(new[] { field }));
    }

    private static IEnumerable<TestCaseData> MalformedBodies()
    {
        yield return new TestCaseData("""{"returnUrl":""").SetArgDisplayNames("truncated");
        yield return new TestCaseData("""{"returnUrl":"/a",}""").SetArgDisplayNames("trailing comma");
        yield return new TestCaseData("""{'returnUrl':'/a'}""").SetArgDisplayNames("single quotes");
        yield return new TestCaseData("""{"returnUrl":12}""").SetArgDisplayNames("number for a string");
        yield return new TestCaseData("""[]""").SetArgDisplayNames("array for an object");
        yield return new TestCaseData(new string('[', 1000) + new string(']', 1000)).SetArgDisplayNames("arrays 1,000 deep");
        yield return new TestCaseData(Nested("""{"returnUrl":""", "}", 1000)).SetArgDisplayNames("objects 1,000 deep in a member");
        yield return new TestCaseData(Nested("""{"x":""", "}", 1000)).SetArgDisplayNames("unknown member 1,000 deep");
    }

    /// <summary>
    /// Every shape that has turned an allowlist into an open redirect somewhere: other hosts, scheme tricks, user
    /// info, look-alike hosts, and the same again percent-encoded or in mixed case.
    /// </summary>
    private static IEnumerable<TestCaseData> OpenRedirects() => new[]
    {
        "https://evil.example/", "HTTPS://EVIL.EXAMPLE/", "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example",
        "/%2F/evil.example", "/%5Cevil.example", "%2F%2Fevil.example", "https:evil.example", "https:/evil.example",
        "https://app.example.com@evil.example", "https://app.example.com%40evil.example", "HTTPS://App.Example.Com@Evil.Example/",
        "https://app.example.com.evil.example/", "https://evil.example\\@app.example.com", "https://evil.example#@app.example.com",
        "https://evil.example?@app.example.com", "http://app.example.com/", "https://app.example.com:8443/",
        "javascript:alert(1)", "JavaScript:alert(1)", "java%0ascript:alert(1)", "data:text/html,<script>alert(1)</script>",
        "\t//evil.example", " https://evil.example", "/\t/evil.example", "https://evil。example", "https://аpp.example.com/",
    }.Select(url => new TestCaseData(url).SetArgDisplayNames(url.Replace("\t", "\\t", StringComparison.Ordinal)));

    private static string Nested(string open, string close, int depth) =>
        string.Concat(Enumerable.Repeat(open, depth)) + "\"/a\"" + string.Concat(Enumerable.Repeat(close, depth));

    private static string[] FieldsInError(string problem)
    {
        using var document = JsonDocument.Parse(problem);
        return document.RootElement.GetProperty("errors").EnumerateObject().Select(error => error.Name).ToArray();
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, byte[]? body, string contentType = "application/json", bool chunked = false,
        string path = Endpoint, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForTenant(tenant));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

        if (body is not null)
        {
            // A stream of unknown length goes out chunked, so the server cannot refuse it by its Content-Length.
            request.Content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            request.Headers.TransferEncodingChunked = chunked;
        }

        return await Client.SendAsync(request);
    }

    // audited: false where the request is refused before it reaches the endpoint (405 by routing; 414 and 431 before authentication).
    private async Task<string> AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string error, bool audited = true)
    {
        var body = await AssertProblemAsync(response, status, error);
        var audit = await AuditRowsAsync(tenant);
        Assert.Multiple(() =>
        {
            Assert.That(body, Does.Not.Contain("Exception").And.Not.Contain("   at ").And.Not.Contain("Billing."));
            Assert.That(Stripe.Requests, Is.Empty);
            Assert.That(audit.Select(row => row.Outcome), Is.EqualTo(audited ? new[] { "invalid_request" } : Array.Empty<string>()));
        });
        return body;
    }
}
