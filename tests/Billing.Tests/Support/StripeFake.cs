using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

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
    string? Cookie,
    DateTimeOffset ReceivedAt);

/// <summary>
/// A loopback stand-in for api.stripe.com that speaks the wire format Stripe.net expects: it records every request
/// to <c>POST /v1/billing_portal/sessions</c> and answers as the current test tells it to, creates and updates
/// customers on <c>POST /v1/customers</c> (replaying an idempotency key's first answer, as Stripe does), serves the
/// prices a test set on <c>GET /v1/prices/{id}</c>, opens Checkout sessions on <c>POST /v1/checkout/sessions</c>, and
/// lists the subscriptions a test gave each customer on <c>GET /v1/subscriptions</c>.
/// </summary>
internal sealed class StripeFake : IAsyncDisposable
{
    public const string SessionsPath = "/v1/billing_portal/sessions";
    public const string CustomersPath = "/v1/customers";
    public const string SubscriptionsPath = "/v1/subscriptions";
    public const string PricesPath = "/v1/prices";
    public const string CheckoutSessionsPath = "/v1/checkout/sessions";

    /// <summary>The configuration the fake reports when the request names none, like an account's default.</summary>
    public const string DefaultConfigurationId = "bpc_fake_default";

    private const string PortalPagePath = "/p/session";
    private const string CheckoutPagePath = "/c/pay";
    private const string ReceivedAtKey = "received-at";

    private readonly WebApplication app;
    private readonly bool portalPagesOnLoopback;
    private readonly Arrivals<StripeRequest> requests = new();
    private readonly ConcurrentQueue<string> issuedUrls = new();
    private readonly ConcurrentDictionary<string, string> customerBySessionUrl = new();
    private readonly ConcurrentDictionary<string, FakeSubscription[]> subscriptionsByCustomer = new();
    private readonly ConcurrentDictionary<string, object> prices = new();
    private readonly ConcurrentDictionary<string, Lazy<string>> customerByIdempotencyKey = new();
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> customers = new();
    private readonly ConcurrentDictionary<string, (string Customer, string Price)> checkoutSessions = new();
    private Func<StripeRequest, HttpContext, Task> checkoutResponder;
    private Func<StripeRequest, HttpContext, Task> customerUpdateResponder;
    private Func<StripeRequest, HttpContext, Task> pricesResponder;
    private Func<StripeRequest, HttpContext, Task> responder;
    private Func<StripeRequest, HttpContext, Task> subscriptionsResponder;
    private int requestCounter;
    private volatile string? setCookie;

    private StripeFake(WebApplication app, bool portalPagesOnLoopback)
    {
        this.app = app;
        // Stamped before anything else reads the request, as Stripe's edge would count it.
        app.Use((context, next) =>
        {
            context.Items[ReceivedAtKey] = DateTimeOffset.UtcNow;
            return next(context);
        });
        this.portalPagesOnLoopback = portalPagesOnLoopback;
        responder = RespondWithSessionAsync;
        subscriptionsResponder = RespondWithSubscriptionsAsync;
        checkoutResponder = RespondWithCheckoutSessionAsync;
        customerUpdateResponder = RespondWithUpdatedCustomerAsync;
        pricesResponder = RespondWithPriceAsync;
        app.MapPost(SessionsPath, context => HandleAsync(context, responder));
        app.MapPost(CustomersPath, context => HandleAsync(context, RespondWithCustomerAsync));
        app.MapPost($"{CustomersPath}/{{customerId}}", context => HandleAsync(context, customerUpdateResponder));
        app.MapGet($"{PricesPath}/{{priceId}}", context => HandleAsync(context, pricesResponder));
        app.MapPost(CheckoutSessionsPath, context => HandleAsync(context, checkoutResponder));
        app.MapGet($"{CheckoutPagePath}/{{sessionId}}", (string sessionId) => checkoutSessions.TryGetValue(sessionId, out var session)
            ? Results.Content(
                $"<!doctype html><title>Checkout</title><h1>Fake Stripe Checkout</h1><p id=\"customer\">{WebUtility.HtmlEncode(session.Customer)}</p>" +
                $"<p id=\"price\">{WebUtility.HtmlEncode(session.Price)}</p>",
                "text/html")
            : Results.NotFound());
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

    /// <summary>The customers created since the last reset, each with the form it was created and updated with.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Customers => customers;

    /// <summary>The Checkout session requests received since the last reset.</summary>
    public IReadOnlyList<StripeRequest> CheckoutRequests =>
        Requests.Where(request => request.Method == HttpMethods.Post && request.Path == CheckoutSessionsPath).ToList();

    /// <summary>The customer creations (<c>POST /v1/customers</c>, not updates) received since the last reset.</summary>
    public IReadOnlyList<StripeRequest> CustomerCreations =>
        Requests.Where(request => request.Method == HttpMethods.Post && request.Path == CustomersPath).ToList();

    /// <summary>Serves this recurring price on <c>GET /v1/prices/{id}</c> from now on; <paramref name="interval"/> null makes it one-time.</summary>
    public void SetPrice(string priceId, long unitAmount, string currency = "usd", string? interval = "month") =>
        prices[priceId] = new
        {
            id = priceId,
            @object = "price",
            active = true,
            currency,
            unit_amount = unitAmount,
            type = interval is null ? "one_time" : "recurring",
            recurring = interval is null ? null : new { interval, interval_count = 1, usage_type = "licensed" },
            product = $"prod_for_{priceId}",
            livemode = false,
            created = 1700000000,
        };

    /// <summary>Answers every Checkout session request with a Stripe error object.</summary>
    public void RespondToCheckoutWithError(int status, string type, string? code = null, string? param = null) =>
        checkoutResponder = ErrorResponder(status, type, code, param);

    /// <summary>Answers every price read with a Stripe error object.</summary>
    public void RespondToPricesWithError(int status, string type) => pricesResponder = ErrorResponder(status, type);

    /// <summary>Never answers a customer update (the step after creation), until the client gives up.</summary>
    public void HangCustomerUpdates() => customerUpdateResponder = Hanging;

    /// <summary>Answers customer updates again, keeping the customers and idempotency keys seen so far (unlike <see cref="Reset"/>).</summary>
    public void AnswerCustomerUpdates() => customerUpdateResponder = RespondWithUpdatedCustomerAsync;

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
        checkoutResponder = RespondWithCheckoutSessionAsync;
        customerUpdateResponder = RespondWithUpdatedCustomerAsync;
        pricesResponder = RespondWithPriceAsync;
        prices.Clear();
        customerByIdempotencyKey.Clear();
        customers.Clear();
        checkoutSessions.Clear();
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
            context.Request.Headers.Cookie.FirstOrDefault(),
            (DateTimeOffset)context.Items[ReceivedAtKey]!);
        requests.Add(request);
        context.Response.Headers["Request-Id"] = $"req_fake_{Interlocked.Increment(ref requestCounter)}";
        if (setCookie is not null)
        {
            context.Response.Headers.SetCookie = setCookie;
        }

        await respond(request, context);
    }

    /// <summary>Creates a customer; a request with an idempotency key seen before gets the first one's customer back, as from Stripe.</summary>
    private Task RespondWithCustomerAsync(StripeRequest request, HttpContext context)
    {
        string Create()
        {
            var id = $"cus_fake_{Guid.NewGuid():N}"[..20];
            customers[id] = request.Form;
            return id;
        }

        var id = request.IdempotencyKey is { } key
            ? customerByIdempotencyKey.GetOrAdd(key, _ => new Lazy<string>(Create)).Value
            : Create();
        return WriteCustomerAsync(context, id);
    }

    private Task RespondWithUpdatedCustomerAsync(StripeRequest request, HttpContext context)
    {
        var id = (string)context.GetRouteValue("customerId")!;
        if (!customers.TryGetValue(id, out var form))
        {
            return ErrorResponder(404, "invalid_request_error", "resource_missing", "customer")(request, context);
        }

        customers[id] = form.Concat(request.Form).GroupBy(field => field.Key).ToDictionary(fields => fields.Key, fields => fields.Last().Value);
        return WriteCustomerAsync(context, id);
    }

    private Task WriteCustomerAsync(HttpContext context, string id)
    {
        var form = customers[id];
        return context.Response.WriteAsJsonAsync(new
        {
            id,
            @object = "customer",
            email = form.GetValueOrDefault("email"),
            name = form.GetValueOrDefault("name"),
            metadata = form.Where(field => field.Key.StartsWith("metadata[", StringComparison.Ordinal))
                .ToDictionary(field => field.Key["metadata[".Length..^1], field => field.Value),
            livemode = false,
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        });
    }

    private Task RespondWithPriceAsync(StripeRequest request, HttpContext context) =>
        prices.TryGetValue((string)context.GetRouteValue("priceId")!, out var price)
            ? context.Response.WriteAsJsonAsync(price)
            : ErrorResponder(404, "invalid_request_error", "resource_missing", "price")(request, context);

    private Task RespondWithCheckoutSessionAsync(StripeRequest request, HttpContext context)
    {
        var id = $"cs_test_{Guid.NewGuid():N}";
        var customer = request.Form.GetValueOrDefault("customer") ?? string.Empty;
        var price = request.Form.GetValueOrDefault("line_items[0][price]") ?? string.Empty;
        checkoutSessions[id] = (customer, price);
        return context.Response.WriteAsJsonAsync(new
        {
            id,
            @object = "checkout.session",
            mode = request.Form.GetValueOrDefault("mode"),
            customer,
            client_reference_id = request.Form.GetValueOrDefault("client_reference_id"),
            success_url = request.Form.GetValueOrDefault("success_url"),
            cancel_url = request.Form.GetValueOrDefault("cancel_url"),
            status = "open",
            livemode = false,
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            url = $"{(portalPagesOnLoopback ? BaseUrl : "https://checkout.stripe.com")}{CheckoutPagePath}/{id}",
        });
    }

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
