using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Billing.Tests.Support;

/// <summary>What the fake received: one HTTP request to Stripe's API (a GET has an empty form and its parameters in the query).</summary>
internal sealed record StripeRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Form,
    string? IdempotencyKey,
    string? Authorization,
    string? ClientTelemetry,
    string? TraceParent,
    string? Cookie);

/// <summary>
/// A loopback stand-in for api.stripe.com that speaks the wire format Stripe.net expects: it records every request
/// to <c>POST /v1/billing_portal/sessions</c> and answers as the current test tells it to, creates customers
/// on <c>POST /v1/customers</c>, and lists the subscriptions a test gave each customer on <c>GET /v1/subscriptions</c>.
/// </summary>
internal sealed class StripeFake : IAsyncDisposable
{
    public const string SessionsPath = "/v1/billing_portal/sessions";
    public const string CustomersPath = "/v1/customers";
    public const string SubscriptionsPath = "/v1/subscriptions";

    /// <summary>The configuration the fake reports when the request names none, like an account's default.</summary>
    public const string DefaultConfigurationId = "bpc_fake_default";

    private const string PortalPagePath = "/p/session";

    private readonly WebApplication app;
    private readonly bool portalPagesOnLoopback;
    private readonly Arrivals<StripeRequest> requests = new();
    private readonly ConcurrentQueue<string> issuedUrls = new();
    private readonly ConcurrentDictionary<string, string> customerBySessionUrl = new();
    private readonly ConcurrentDictionary<string, FakeSubscription[]> subscriptionsByCustomer = new();
    private Func<StripeRequest, HttpContext, Task> responder;
    private Func<StripeRequest, HttpContext, Task> subscriptionsResponder;
    private int requestCounter;
    private volatile string? setCookie;

    private StripeFake(WebApplication app, bool portalPagesOnLoopback)
    {
        this.app = app;
        this.portalPagesOnLoopback = portalPagesOnLoopback;
        responder = RespondWithSessionAsync;
        subscriptionsResponder = RespondWithSubscriptionsAsync;
        app.MapPost(SessionsPath, context => HandleAsync(context, responder));
        app.MapPost(CustomersPath, context => HandleAsync(context, RespondWithCustomerAsync));
        app.MapGet(SubscriptionsPath, context => HandleAsync(context, subscriptionsResponder));
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

    /// <summary>How many subscription lists were asked for this customer since the last reset, failed ones included.</summary>
    public int SubscriptionListCalls(string customerId) => requests.Snapshot().Count(request => IsSubscriptionListFor(request, customerId));

    /// <summary>Returns once <paramref name="count"/> subscription lists have been asked for this customer since the last reset.</summary>
    /// <exception cref="TimeoutException">Fewer arrived within 10 s.</exception>
    public Task WaitForSubscriptionListsAsync(string customerId, int count) =>
        requests.WaitUntilAsync(received => received.Count(request => IsSubscriptionListFor(request, customerId)) >= count,
            $"{count} subscription lists of {customerId} to be asked for", TimeSpan.FromSeconds(10));

    /// <summary>What <c>GET /v1/subscriptions?customer=</c> lists for this customer from now on; a customer never set has none.</summary>
    public void SetSubscriptions(string customerId, params FakeSubscription[] subscriptions) =>
        subscriptionsByCustomer[customerId] = subscriptions;

    /// <summary>Forgets what was received and the subscriptions set, numbers request ids from req_fake_1 again, and answers every path normally again.</summary>
    public void Reset()
    {
        requests.Clear();
        issuedUrls.Clear();
        customerBySessionUrl.Clear();
        subscriptionsByCustomer.Clear();
        responder = RespondWithSessionAsync;
        subscriptionsResponder = RespondWithSubscriptionsAsync;
        setCookie = null;
        Interlocked.Exchange(ref requestCounter, 0);
    }

    /// <summary>Sets this cookie on every answer, as a load balancer in front of an API might.</summary>
    public void SetCookieOnAnswers(string cookie) => setCookie = cookie;

    /// <summary>Answers every session request with a Stripe error object.</summary>
    public void RespondWithError(int status, string type, string? code = null, string? param = null, string message = "Something went wrong.") =>
        responder = ErrorResponder(status, type, code, param, message);

    /// <summary>Answers the first <paramref name="failures"/> session requests with a Stripe error, then creates sessions again.</summary>
    public void FailFirst(int failures, int status, string type) =>
        responder = FailingFirst(failures, ErrorResponder(status, type), RespondWithSessionAsync);

    /// <summary>Answers the first <paramref name="failures"/> subscription lists (of any customer) with a Stripe error, then lists again.</summary>
    public void FailSubscriptionListsFirst(int failures, int status = 500, string type = "api_error") =>
        subscriptionsResponder = FailingFirst(failures, ErrorResponder(status, type), RespondWithSubscriptionsAsync);

    /// <summary>Answers every subscription list with a Stripe error, as long as the test runs.</summary>
    public void FailSubscriptionListsAlways(int status = 500, string type = "api_error") =>
        subscriptionsResponder = ErrorResponder(status, type);

    /// <summary>Never answers a subscription list, until the client gives up.</summary>
    public void HangSubscriptionLists() => subscriptionsResponder = Hanging;

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

    /// <summary>Never answers a session request, until the client gives up.</summary>
    public void Hang() => responder = Hanging;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static Func<StripeRequest, HttpContext, Task> ErrorResponder(
        int status, string type, string? code = null, string? param = null, string message = "Something went wrong.") =>
        (_, context) =>
        {
            context.Response.StatusCode = status;
            return context.Response.WriteAsJsonAsync(new { error = new { type, code, param, message } });
        };

    private static Func<StripeRequest, HttpContext, Task> FailingFirst(
        int failures, Func<StripeRequest, HttpContext, Task> fail, Func<StripeRequest, HttpContext, Task> then)
    {
        var remaining = failures;
        return (request, context) => Interlocked.Decrement(ref remaining) >= 0 ? fail(request, context) : then(request, context);
    }

    private static readonly Func<StripeRequest, HttpContext, Task> Hanging = (_, context) => Task.Delay(Timeout.Infinite, context.RequestAborted);

    private static bool IsSubscriptionListFor(StripeRequest request, string customerId) =>
        request.Method == HttpMethods.Get && request.Path == SubscriptionsPath && request.Query.GetValueOrDefault("customer") == customerId;

    private async Task HandleAsync(HttpContext context, Func<StripeRequest, HttpContext, Task> respond)
    {
        var form = context.Request.HasFormContentType
            ? (await context.Request.ReadFormAsync(context.RequestAborted)).ToDictionary(field => field.Key, field => field.Value.ToString())
            : [];
        var request = new StripeRequest(
            context.Request.Method,
            context.Request.Path,
            context.Request.Query.ToDictionary(parameter => parameter.Key, parameter => parameter.Value.ToString()),
            form,
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

    /// <summary>
    /// Lists the customer's subscriptions as Stripe does: newest first, one page, each as API version 2026-10-28 sends it
    /// (the current period on the item). Like Stripe, without <c>status</c> it leaves out canceled ones, and with a
    /// status other than <c>all</c> lists only that one.
    /// </summary>
    private Task RespondWithSubscriptionsAsync(StripeRequest request, HttpContext context)
    {
        var customer = request.Query.GetValueOrDefault("customer") ?? string.Empty;
        var status = request.Query.GetValueOrDefault("status");
        var listed = subscriptionsByCustomer.GetValueOrDefault(customer, [])
            .Where(subscription => status switch
            {
                null or "" => subscription.Status != "canceled",
                "all" => true,
                _ => subscription.Status == status,
            })
            .OrderByDescending(subscription => subscription.Created)
            .Select(subscription => subscription.ToStripeJson(customer));
        return context.Response.WriteAsJsonAsync(new { @object = "list", data = listed, has_more = false, url = SubscriptionsPath });
    }

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
