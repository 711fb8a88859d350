using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using StripeEmulator.State;

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
/// Stripe for the tests: the repository's emulator (tools/StripeEmulator) on a loopback Kestrel port of its own, so
/// that there is one Stripe stand-in to maintain, with what tests need in front of it: every request recorded, request
/// ids numbered <c>req_fake_1</c>, <c>req_fake_2</c>… from each reset, and faults a test switches on per endpoint
/// (Stripe errors, hangs, delays). The customers and plans a test names are known to it, as if created earlier.
/// </summary>
internal sealed class StripeFake : IAsyncDisposable
{
    public const string SessionsPath = "/v1/billing_portal/sessions";
    public const string CustomersPath = "/v1/customers";
    public const string SubscriptionsPath = "/v1/subscriptions";
    public const string PricesPath = "/v1/prices";
    public const string CheckoutSessionsPath = "/v1/checkout/sessions";

    /// <summary>The configuration the emulator reports when the request names none, like an account's default.</summary>
    public const string DefaultConfigurationId = "bpc_emulator_default";

    private readonly Arrivals<StripeRequest> requests = new();
    // A fault is given the emulator's endpoints too, for when it lets a request through after all.
    private readonly ConcurrentDictionary<StripeEndpoint, Func<HttpContext, RequestDelegate, Task>> faults = new();
    private StripeEmulatorHost host = null!;
    private int requestCounter;
    private volatile string? setCookie;

    private enum StripeEndpoint { PortalSessions, CheckoutSessions, CustomerUpdates, Prices, SubscriptionLists, Other }

    public string BaseUrl => host.BaseUrl;

    public IReadOnlyList<StripeRequest> Requests => requests.Snapshot();

    /// <summary>The emulator's state, for what a test sets up or reads beyond the helpers here.</summary>
    public EmulatorStore Store => host.Store;

    /// <summary>The portal session URLs handed out since the last reset.</summary>
    public IReadOnlyList<string> IssuedUrls => Store.PortalSessions.Select(session => session.Url).ToList();

    /// <summary>For each portal session URL handed out since the last reset, the customer it was created for.</summary>
    public IReadOnlyDictionary<string, string> CustomerBySessionUrl =>
        Store.PortalSessions.ToDictionary(session => session.Url, session => session.CustomerId);

    /// <summary>The customers Stripe knows, created through the API or named by a test's database.</summary>
    public IReadOnlyList<EmulatedCustomer> Customers => Store.Customers;

    /// <summary>The Checkout session requests received since the last reset.</summary>
    public IReadOnlyList<StripeRequest> CheckoutRequests =>
        Requests.Where(request => request.Method == HttpMethods.Post && request.Path == CheckoutSessionsPath).ToList();

    /// <summary>The customer creations (<c>POST /v1/customers</c>, not updates) received since the last reset.</summary>
    public IReadOnlyList<StripeRequest> CustomerCreations =>
        Requests.Where(request => request.Method == HttpMethods.Post && request.Path == CustomersPath).ToList();

    /// <param name="portalPagesOnLoopback">
    /// Hand out Checkout and portal URLs that point at the emulator's own pages, so that a browser test can follow
    /// them; otherwise they look like Stripe's own.
    /// </param>
    public static async Task<StripeFake> StartAsync(bool portalPagesOnLoopback = false)
    {
        var fake = new StripeFake();
        fake.host = await StripeEmulatorHost.StartAsync(
            portalPagesOnLoopback
                ? null
                : new Dictionary<string, string?>
                {
                    ["Emulator:CheckoutPageUrl"] = "https://checkout.stripe.com",
                    ["Emulator:PortalPageUrl"] = "https://billing.stripe.com",
                },
            inFront: fake.InterceptAsync);
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

    /// <summary>Serves this price on <c>GET /v1/prices/{id}</c> from now on; <paramref name="interval"/> null makes it one-time.</summary>
    public void SetPrice(string priceId, long unitAmount, string currency = "usd", string? interval = "month") =>
        Store.PutPrice(priceId, $"Product of {priceId}", unitAmount, currency, interval);

    /// <summary>What <c>GET /v1/subscriptions?customer=</c> lists for this customer from now on; a customer never set has none.</summary>
    public void SetSubscriptions(string customerId, params FakeSubscription[] subscriptions) =>
        Store.ReplaceSubscriptionsOf(customerId, subscriptions.Select(subscription => subscription.ToEmulated(customerId)));

    /// <summary>Answers every Checkout session request with a Stripe error object.</summary>
    public void RespondToCheckoutWithError(int status, string type, string? code = null, string? param = null) =>
        faults[StripeEndpoint.CheckoutSessions] = Error(status, type, code, param);

    /// <summary>Answers every price read with a Stripe error object.</summary>
    public void RespondToPricesWithError(int status, string type) => faults[StripeEndpoint.Prices] = Error(status, type);

    /// <summary>Never answers a customer update (the step after creation), until the client gives up.</summary>
    public void HangCustomerUpdates() => faults[StripeEndpoint.CustomerUpdates] = Hanging;

    /// <summary>Answers customer updates again, keeping the customers and idempotency keys seen so far (unlike <see cref="Reset"/>).</summary>
    public void AnswerCustomerUpdates() => faults.TryRemove(StripeEndpoint.CustomerUpdates, out _);

    /// <summary>Forgets what was received and everything Stripe knew, numbers request ids from req_fake_1 again, and clears every fault.</summary>
    public void Reset()
    {
        requests.Clear();
        faults.Clear();
        Store.Reset();
        setCookie = null;
        Interlocked.Exchange(ref requestCounter, 0);
    }

    /// <summary>Sets this cookie on every answer, as a load balancer in front of an API might.</summary>
    public void SetCookieOnAnswers(string cookie) => setCookie = cookie;

    /// <summary>Answers every portal session request with a Stripe error object.</summary>
    public void RespondWithError(int status, string type, string? code = null, string? param = null, string message = "Something went wrong.") =>
        faults[StripeEndpoint.PortalSessions] = Error(status, type, code, param, message);

    /// <summary>Answers the first <paramref name="failures"/> portal session requests with a Stripe error, then creates sessions again.</summary>
    public void FailFirst(int failures, int status, string type) =>
        faults[StripeEndpoint.PortalSessions] = FailingFirst(failures, Error(status, type));

    /// <summary>Answers the first <paramref name="failures"/> subscription lists (of any customer) with a Stripe error, then lists again.</summary>
    public void FailSubscriptionListsFirst(int failures, int status = 500, string type = "api_error") =>
        faults[StripeEndpoint.SubscriptionLists] = FailingFirst(failures, Error(status, type));

    /// <summary>Answers every subscription list with a Stripe error, as long as the test runs.</summary>
    public void FailSubscriptionListsAlways(int status = 500, string type = "api_error") =>
        faults[StripeEndpoint.SubscriptionLists] = Error(status, type);

    /// <summary>Never answers a subscription list, until the client gives up.</summary>
    public void HangSubscriptionLists() => faults[StripeEndpoint.SubscriptionLists] = Hanging;

    /// <summary>Creates portal sessions, but only after <paramref name="delay"/>, like Stripe on a slow day.</summary>
    public void RespondAfter(TimeSpan delay) => faults[StripeEndpoint.PortalSessions] = async (context, emulator) =>
    {
        await Task.Delay(delay, context.RequestAborted);
        await emulator(context);
    };

    /// <summary>Answers every portal session request with this status and JSON body, request id included.</summary>
    public void RespondWithBody(int status, string json) => faults[StripeEndpoint.PortalSessions] = (context, _) =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    };

    /// <summary>Never answers a portal session request, until the client gives up.</summary>
    public void Hang() => faults[StripeEndpoint.PortalSessions] = Hanging;

    public ValueTask DisposeAsync() => host.DisposeAsync();

    private static Func<HttpContext, RequestDelegate, Task> Error(
        int status, string type, string? code = null, string? param = null, string message = "Something went wrong.") =>
        (context, _) =>
        {
            context.Response.StatusCode = status;
            return context.Response.WriteAsJsonAsync(new { error = new { type, code, param, message } });
        };

    /// <summary>Fails the first <paramref name="failures"/> requests, then takes the fault away, so the emulator answers again.</summary>
    private static Func<HttpContext, RequestDelegate, Task> FailingFirst(int failures, Func<HttpContext, RequestDelegate, Task> fail)
    {
        var remaining = failures;
        return (context, emulator) => Interlocked.Decrement(ref remaining) >= 0 ? fail(context, emulator) : emulator(context);
    }

    private static readonly Func<HttpContext, RequestDelegate, Task> Hanging = (context, _) => Task.Delay(Timeout.Infinite, context.RequestAborted);

    private static bool IsSubscriptionListFor(StripeRequest request, string customerId) =>
        request.Method == HttpMethods.Get && request.Path == SubscriptionsPath && request.Query.GetValueOrDefault("customer") == customerId;

    private static StripeEndpoint Classify(string method, string path) => (method, path) switch
    {
        ("POST", SessionsPath) => StripeEndpoint.PortalSessions,
        ("POST", CheckoutSessionsPath) => StripeEndpoint.CheckoutSessions,
        ("GET", SubscriptionsPath) => StripeEndpoint.SubscriptionLists,
        ("POST", _) when path.StartsWith(CustomersPath + "/", StringComparison.Ordinal) => StripeEndpoint.CustomerUpdates,
        ("GET", _) when path.StartsWith(PricesPath + "/", StringComparison.Ordinal) => StripeEndpoint.Prices,
        _ => StripeEndpoint.Other,
    };

    /// <summary>
    /// Tests name customers in their database and plans in their settings without creating them in Stripe first: the
    /// emulator knows them, the plan as $10 a month unless the test set its price.
    /// </summary>
    private void KnowWhatTheTestNamed(IReadOnlyDictionary<string, string> form)
    {
        if (form.GetValueOrDefault("customer") is { Length: > 0 } customer && Store.FindCustomer(customer) is null)
        {
            Store.PutCustomer(customer);
        }

        if (form.GetValueOrDefault("line_items[0][price]") is { Length: > 0 } price && Store.FindPrice(price) is null)
        {
            Store.PutPrice(price, $"Product of {price}", 1000);
        }
    }

    private async Task InterceptAsync(HttpContext context, RequestDelegate next)
    {
        // Stamped before anything else reads the request, as Stripe's edge would count it.
        var receivedAt = DateTimeOffset.UtcNow;
        if (!context.Request.Path.StartsWithSegments("/v1"))
        {
            await next(context); // the hosted pages
            return;
        }

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
            receivedAt);
        requests.Add(request);
        var requestId = $"req_fake_{Interlocked.Increment(ref requestCounter)}";
        context.Response.OnStarting(() =>
        {
            // Set last, over the emulator's own id, so that a test can name the id of its n-th request.
            context.Response.Headers["Request-Id"] = requestId;
            if (setCookie is not null)
            {
                context.Response.Headers.SetCookie = setCookie;
            }

            return Task.CompletedTask;
        });
        var endpoint = Classify(request.Method, request.Path);
        if (endpoint is StripeEndpoint.PortalSessions or StripeEndpoint.CheckoutSessions)
        {
            KnowWhatTheTestNamed(form);
        }

        await (faults.TryGetValue(endpoint, out var fault) ? fault(context, next) : next(context));
    }
}
