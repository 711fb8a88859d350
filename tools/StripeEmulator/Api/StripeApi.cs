using System.Globalization;
using Microsoft.Extensions.Options;
using StripeEmulator.Pages;
using StripeEmulator.State;

namespace StripeEmulator.Api;

/// <summary>
/// The part of Stripe's /v1 API this service uses, form-encoded as Stripe.net sends it. Anything else answers 404
/// "Unrecognized request URL", as Stripe does.
/// </summary>
internal static class StripeApi
{
    private const string DefaultPortalConfiguration = "bpc_emulator_default";
    private const string PriceParam = "line_items[0][price]";
    private static readonly string[] PortalFlowTypes =
        ["payment_method_update", "subscription_cancel", "subscription_update", "subscription_update_confirm"];

    public static void Map(IEndpointRouteBuilder v1)
    {
        v1.MapPost("/customers", CreateCustomerAsync);
        v1.MapPost("/customers/{id}", UpdateCustomerAsync);
        v1.MapGet("/customers/{id}", (string id, EmulatorStore store) =>
            store.FindCustomer(id) is { } customer ? StripeJson.Ok(StripeJson.Customer(customer)) : NoSuchCustomerInPath(id));
        v1.MapGet("/prices/{id}", (string id, EmulatorStore store) =>
            store.FindPrice(id) is { } price ? StripeJson.Ok(StripeJson.Price(price)) : StripeErrors.NoSuch("price", id, "price", inPath: true));
        v1.MapPost("/checkout/sessions", CreateCheckoutSessionAsync);
        v1.MapGet("/checkout/sessions/{id}", (string id, EmulatorStore store) =>
            store.FindCheckoutSession(id) is { } session
                ? StripeJson.Ok(StripeJson.CheckoutSession(session))
                : StripeErrors.NoSuch("checkout.session", id, "session", inPath: true));
        v1.MapPost("/billing_portal/sessions", CreatePortalSessionAsync);
        v1.MapGet("/subscriptions", ListSubscriptions);
        v1.MapGet("/subscriptions/{id}", (string id, EmulatorStore store) =>
            store.FindSubscription(id) is { } subscription
                ? StripeJson.Ok(StripeJson.Subscription(subscription))
                : StripeErrors.NoSuch("subscription", id, "subscription", inPath: true));
        v1.MapFallback("{**path}", (HttpRequest request) => StripeErrors.UnrecognizedUrl(request));
    }

    private static async Task<IResult> CreateCustomerAsync(HttpRequest request, EmulatorStore store)
    {
        var form = await FormFields.ReadAsync(request);
        var idempotencyKey = request.Headers["Idempotency-Key"].FirstOrDefault();
        var (customer, replayed) = store.CreateCustomer(idempotencyKey, form.Value("email"), form.Value("name"), form.Nested("metadata"));
        if (replayed)
        {
            request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return StripeJson.Ok(StripeJson.Customer(customer));
    }

    /// <summary>Sets what the form names; an empty value clears a field or a metadata key, as in Stripe.</summary>
    private static async Task<IResult> UpdateCustomerAsync(string id, HttpRequest request, EmulatorStore store)
    {
        var form = await FormFields.ReadAsync(request);
        string? Updated(string field, string? current) => form.Value(field) is { } value ? NullIfEmpty(value) : current;
        var updated = store.UpdateCustomer(id, customer => customer with
        {
            Email = Updated("email", customer.Email),
            Name = Updated("name", customer.Name),
            Metadata = Merged(customer.Metadata, form.Nested("metadata")),
        });
        return updated is null ? NoSuchCustomerInPath(id) : StripeJson.Ok(StripeJson.Customer(updated));
    }

    private static async Task<IResult> CreateCheckoutSessionAsync(HttpRequest request, EmulatorStore store, IOptions<EmulatorOptions> options)
    {
        var form = await FormFields.ReadAsync(request);
        if (form.Value("mode") != "subscription")
        {
            return StripeErrors.Invalid("mode", "The emulator opens only subscription Checkout sessions: send mode=subscription.");
        }

        if (form.Value("customer") is not { } customerId)
        {
            return StripeErrors.Missing("customer");
        }

        if (store.FindCustomer(customerId) is null)
        {
            return NoSuchCustomerParam(customerId);
        }

        if (form.Value(PriceParam) is not { } priceId)
        {
            return StripeErrors.Missing(PriceParam);
        }

        if (store.FindPrice(priceId) is not { } price)
        {
            return StripeErrors.NoSuch("price", priceId, PriceParam, inPath: false);
        }

        if (!price.IsRecurring)
        {
            return StripeErrors.Invalid(PriceParam,
                "The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.");
        }

        if (form.Value("success_url") is not { } successUrl)
        {
            return StripeErrors.Missing("success_url");
        }

        if (FirstInvalidUrl(form, "success_url", "cancel_url") is { } urlError)
        {
            return urlError;
        }

        var quantityText = form.Value("line_items[0][quantity]") ?? "1";
        if (!long.TryParse(quantityText, NumberStyles.None, CultureInfo.InvariantCulture, out var quantity) || quantity < 1)
        {
            return StripeErrors.Invalid("line_items[0][quantity]", "Quantity must be a whole number of at least 1.");
        }

        var id = Ids.New("cs_test_");
        var session = new EmulatedCheckoutSession(
            id, customerId, price, quantity, successUrl, form.Value("cancel_url"),
            $"{PageBaseUrl(request, options.Value.CheckoutPageUrl ?? options.Value.PublicUrl)}{CheckoutPage.Path}/{id}", store.Now)
        {
            ClientReferenceId = form.Value("client_reference_id"),
            Locale = form.Value("locale"),
            AllowPromotionCodes = form.Value("allow_promotion_codes") is { } allow ? allow == "true" : null,
            Metadata = form.Nested("metadata"),
            SubscriptionMetadata = form.Nested("subscription_data[metadata]"),
        };
        store.AddCheckoutSession(session);
        return StripeJson.Ok(StripeJson.CheckoutSession(session));
    }

    private static async Task<IResult> CreatePortalSessionAsync(HttpRequest request, EmulatorStore store, IOptions<EmulatorOptions> options)
    {
        var form = await FormFields.ReadAsync(request);
        if (form.Value("customer") is not { } customerId)
        {
            return StripeErrors.Missing("customer");
        }

        if (store.FindCustomer(customerId) is null)
        {
            return NoSuchCustomerParam(customerId);
        }

        if (FirstInvalidUrl(form, "return_url", "flow_data[after_completion][redirect][return_url]") is { } urlError)
        {
            return urlError;
        }

        EmulatedPortalFlow? flow = null;
        if (form.Value("flow_data[type]") is { } flowType)
        {
            if (!PortalFlowTypes.Contains(flowType))
            {
                return StripeErrors.Invalid("flow_data[type]", $"Invalid flow_data[type]: must be one of {string.Join(", ", PortalFlowTypes)}.");
            }

            // A subscription flow must name a subscription of this customer: the page will act on nothing else.
            var subscriptionParam = $"flow_data[{flowType}][subscription]";
            var subscriptionId = form.Value(subscriptionParam);
            if (flowType.StartsWith("subscription_", StringComparison.Ordinal))
            {
                if (subscriptionId is null)
                {
                    return StripeErrors.Missing(subscriptionParam);
                }

                if (store.FindSubscription(subscriptionId)?.CustomerId != customerId)
                {
                    return StripeErrors.NoSuch("subscription", subscriptionId, subscriptionParam, inPath: false);
                }
            }

            flow = new EmulatedPortalFlow(
                flowType,
                subscriptionId,
                form.Value("flow_data[after_completion][type]") ?? "portal_homepage",
                form.Value("flow_data[after_completion][redirect][return_url]"));
        }

        var token = Ids.PortalToken();
        var session = new EmulatedPortalSession(
            Ids.New("bps_"), token, customerId, form.Value("return_url"), form.Value("configuration") ?? DefaultPortalConfiguration,
            $"{PageBaseUrl(request, options.Value.PortalPageUrl ?? options.Value.PublicUrl)}{PortalPage.Path}/{token}", store.Now)
        {
            Locale = form.Value("locale"),
            Flow = flow,
        };
        store.AddPortalSession(session);
        return StripeJson.Ok(StripeJson.PortalSession(session));
    }

    /// <summary>
    /// Newest first. Without <c>status</c>, canceled subscriptions are left out; <c>status=all</c> lists every one, and
    /// another status only those. Pages with <c>limit</c> (default 10, at most 100) and <c>starting_after</c>.
    /// </summary>
    private static IResult ListSubscriptions(HttpRequest request, EmulatorStore store)
    {
        var query = request.Query;
        string? Parameter(string name) => query.TryGetValue(name, out var value) ? value.ToString() : null;
        var status = Parameter("status");
        var limit = int.TryParse(Parameter("limit"), NumberStyles.None, CultureInfo.InvariantCulture, out var requested)
            ? Math.Clamp(requested, 1, 100)
            : 10;
        var listed = (Parameter("customer") is { } customer ? store.SubscriptionsOf(customer) : store.Subscriptions)
            .Where(subscription => status switch
            {
                null => !subscription.IsCanceled,
                "all" => true,
                _ => subscription.Status == status,
            })
            .ToList();
        if (Parameter("starting_after") is { } startingAfter)
        {
            listed = listed.SkipWhile(subscription => subscription.Id != startingAfter).Skip(1).ToList();
        }

        return StripeJson.Ok(StripeJson.List(listed.Take(limit).Select(StripeJson.Subscription), listed.Count > limit, "/v1/subscriptions"));
    }

    /// <summary>The first of <paramref name="params"/> sent that is not an absolute http(s) URL, as an error; null if none.</summary>
    private static IResult? FirstInvalidUrl(IFormCollection form, params string[] @params) =>
        @params.FirstOrDefault(param => form.Value(param) is { } url && !HttpUrl.IsValid(url)) is { } invalid
            ? StripeErrors.InvalidUrl(invalid)
            : null;

    /// <summary>The configured base URL of a hosted page, or else this request's own scheme, host and port.</summary>
    private static string PageBaseUrl(HttpRequest request, string? configured) =>
        (configured ?? $"{request.Scheme}://{request.Host}{request.PathBase}").TrimEnd('/');

    // The API reads this shape (resource_missing on param customer) as "the stored customer is stale", whatever the status.
    private static IResult NoSuchCustomerInPath(string id) => StripeErrors.NoSuch("customer", id, "customer", inPath: true);

    private static IResult NoSuchCustomerParam(string id) => StripeErrors.NoSuch("customer", id, "customer", inPath: false);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static Dictionary<string, string> Merged(IReadOnlyDictionary<string, string> metadata, Dictionary<string, string> changes)
    {
        var merged = new Dictionary<string, string>(metadata);
        foreach (var (key, value) in changes)
        {
            if (value.Length == 0)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = value;
            }
        }

        return merged;
    }
}
