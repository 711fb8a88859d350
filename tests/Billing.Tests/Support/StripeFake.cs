using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Support;

/// <summary>What the fake received: one HTTP request to Stripe's API.</summary>
internal sealed record StripeRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Form,
    string? IdempotencyKey,
    string? Authorization,
    string? ClientTelemetry,
    string? TraceParent,
    string? Cookie);

/// <summary>
/// A loopback stand-in for api.stripe.com that speaks the wire format Stripe.net expects: it records every request
/// to <c>POST /v1/billing_portal/sessions</c> and answers as the current test tells it to, and creates customers
/// on <c>POST /v1/customers</c>.
/// </summary>
internal sealed class StripeFake : IAsyncDisposable
{
    public const string SessionsPath = "/v1/billing_portal/sessions";
    public const string CustomersPath = "/v1/customers";

    /// <summary>The configuration the fake reports when the request names none, like an account's default.</summary>
    public const string DefaultConfigurationId = "bpc_fake_default";

    private const string PortalPagePath = "/p/session";

    private readonly WebApplication app;
    private readonly bool portalPagesOnLoopback;
    private readonly Arrivals<StripeRequest> requests = new();
    private readonly ConcurrentQueue<string> issuedUrls = new();
    private readonly ConcurrentDictionary<string, string> customerBySessionUrl = new();
    private Func<StripeRequest, HttpContext, Task> responder;
    private int requestCounter;
    private volatile string? setCookie;

    private StripeFake(WebApplication app, bool portalPagesOnLoopback)
    {
        this.app = app;
        this.portalPagesOnLoopback = portalPagesOnLoopback;
        responder = RespondWithSessionAsync;
        app.MapPost(SessionsPath, context => HandleAsync(context, responder));
        app.MapPost(CustomersPath, context => HandleAsync(context, RespondWithCustomerAsync));
        app.MapGet($"{PortalPagePath}/{{sessionId}}", (string sessionId) => Results.Content(
            $"<!doctype html><title>Billing portal</title><h1>Fake Stripe billing portal</h1><p id=\"session\">{WebUtility.HtmlEncode(sessionId)}</p>",
            "text/html"));
    }

    public string BaseUrl => LoopbackHost.BaseUrl(app);

    public IReadOnlyList<StripeRequest> Requests => requests.Snapshot();

    /// <summary>The session URLs handed out since the last reset.</summary>
    public IReadOnlyList<string> IssuedUrls => issuedUrls.ToArray();

    /// <summary>For each session URL handed out since the last reset, the customer it was created for.</summary>
    public IReadOnlyDictionary<string, string> CustomerBySessionUrl => customerBySessionUrl;

    /// <param name="portalPagesOnLoopback">
    /// Hand out session URLs that point at a page this fake serves, so that a browser test can follow them;
    /// otherwise they look like Stripe's own.
    /// </param>
    public static async Task<StripeFake> StartAsync(bool portalPagesOnLoopback = false)
    {
        var fake = new StripeFake(LoopbackHost.CreateBuilder().Build(), portalPagesOnLoopback);
        await fake.app.StartAsync();
        return fake;
    }

    /// <summary>Returns once <paramref name="count"/> requests have arrived since the last reset, as they arrive.</summary>
    /// <exception cref="TimeoutException">Fewer arrived within 10 s.</exception>
    public Task WaitForRequestsAsync(int count) =>
        requests.WaitUntilAsync(received => received.Count >= count, $"{count} requests to reach the Stripe fake", TimeSpan.FromSeconds(10));

    /// <summary>Forgets what was received, numbers request ids from req_fake_1 again, and answers with a created session again.</summary>
    public void Reset()
    {
        requests.Clear();
        issuedUrls.Clear();
        customerBySessionUrl.Clear();
        responder = RespondWithSessionAsync;
        setCookie = null;
        Interlocked.Exchange(ref requestCounter, 0);
    }

    /// <summary>Sets this cookie on every answer, as a load balancer in front of an API might.</summary>
    public void SetCookieOnAnswers(string cookie) => setCookie = cookie;

    /// <summary>Answers every request with a Stripe error object.</summary>
    public void RespondWithError(int status, string type, string? code = null, string? param = null, string message = "Something went wrong.") =>
        responder = (_, context) =>
        {
            context.Response.StatusCode = status;
            return context.Response.WriteAsJsonAsync(new { error = new { type, code, param, message } });
        };

    /// <summary>Answers the first <paramref name="failures"/> session requests with a Stripe error, then creates sessions again.</summary>
    public void FailFirst(int failures, int status, string type)
    {
        var remaining = failures;
        RespondWithError(status, type);
        var fail = responder;
        responder = (request, context) => Interlocked.Decrement(ref remaining) >= 0 ? fail(request, context) : RespondWithSessionAsync(request, context);
    }

    /// <summary>Creates sessions, but only after <paramref name="delay"/>, like Stripe on a slow day.</summary>
    public void RespondAfter(TimeSpan delay) => responder = async (request, context) =>
    {
        await Task.Delay(delay, context.RequestAborted);
        await RespondWithSessionAsync(request, context);
    };

    /// <summary>Answers every request with this status and JSON body, request id included.</summary>
    public void RespondWithBody(int status, string json) => responder = (_, context) =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    };

    /// <summary>Never answers, until the client gives up.</summary>
    public void Hang() => responder = (_, context) => Task.Delay(Timeout.Infinite, context.RequestAborted);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context, Func<StripeRequest, HttpContext, Task> respond)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var request = new StripeRequest(
            context.Request.Method,
            context.Request.Path,
            form.ToDictionary(field => field.Key, field => field.Value.ToString()),
            context.Request.Headers["Idempotency-Key"].FirstOrDefault(),
            context.Request.Headers.Authorization.FirstOrDefault(),
            context.Request.Headers["X-Stripe-Client-Telemetry"].FirstOrDefault(),
            context.Request.Headers["traceparent"].FirstOrDefault(),
            context.Request.Headers.Cookie.FirstOrDefault());
        requests.Add(request);
        context.Response.Headers["Request-Id"] = $"req_fake_{Interlocked.Increment(ref requestCounter)}";
        if (setCookie is not null)
        {
            context.Response.Headers.SetCookie = setCookie;
        }

        await respond(request, context);
    }

    private static Task RespondWithCustomerAsync(StripeRequest request, HttpContext context) =>
        context.Response.WriteAsJsonAsync(new
        {
            id = $"cus_fake_{Guid.NewGuid():N}"[..20],
            @object = "customer",
            name = request.Form.GetValueOrDefault("name"),
            livemode = false,
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        });

    private Task RespondWithSessionAsync(StripeRequest request, HttpContext context)
    {
        var id = $"bps_{Guid.NewGuid():N}";
        var url = SessionUrl(id);
        issuedUrls.Enqueue(url);
        customerBySessionUrl[url] = request.Form.GetValueOrDefault("customer") ?? string.Empty;
        return context.Response.WriteAsJsonAsync(new
        {
            id,
            @object = "billing_portal.session",
            customer = request.Form.GetValueOrDefault("customer"),
            livemode = false,
            configuration = request.Form.GetValueOrDefault("configuration") ?? DefaultConfigurationId,
            locale = request.Form.GetValueOrDefault("locale"),
            return_url = request.Form.GetValueOrDefault("return_url"),
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            url,
        });
    }

    /// <summary>The URL the fake hands out for a session id.</summary>
    public string SessionUrl(string sessionId) =>
        $"{(portalPagesOnLoopback ? BaseUrl : "https://billing.stripe.com")}{PortalPagePath}/test_{sessionId}";
}
