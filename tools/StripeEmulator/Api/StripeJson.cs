using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using StripeEmulator.State;

namespace StripeEmulator.Api;

/// <summary>
/// The emulator's objects as Stripe API version <see cref="ApiVersion"/> writes them, for answers and events alike:
/// snake_case names, times as Unix seconds, absent values as null. Only the fields this service and Stripe.net's
/// typed objects need, and their usual neighbours.
/// </summary>
internal static class StripeJson
{
    /// <summary>The API version Stripe.net 53 speaks (<c>Stripe.StripeConfiguration.ApiVersion</c>), stamped on every event.</summary>
    public const string ApiVersion = "2026-10-28.endive";

    /// <summary>
    /// Property names are written as declared (already snake_case) and nulls are kept, as Stripe sends them; quotes in
    /// messages stay readable (<c>'</c>, not <c>\u0027</c>): this JSON is never embedded in HTML.
    /// </summary>
    public static JsonSerializerOptions Options { get; } =
        new(JsonSerializerDefaults.General) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IResult Ok(object value) => Results.Json(value, Options);

    public static object List(IEnumerable<object> data, bool hasMore, string url) => new { @object = "list", data, has_more = hasMore, url };

    public static object Customer(EmulatedCustomer customer) => new
    {
        id = customer.Id,
        @object = "customer",
        balance = 0,
        created = Unix(customer.Created),
        currency = (string?)null,
        delinquent = false,
        description = (string?)null,
        email = customer.Email,
        livemode = false,
        metadata = customer.Metadata,
        name = customer.Name,
        phone = (string?)null,
        preferred_locales = Array.Empty<string>(),
        tax_exempt = "none",
    };

    public static object Price(EmulatedPrice price) => new
    {
        id = price.Id,
        @object = "price",
        active = true,
        billing_scheme = "per_unit",
        created = Unix(price.Created),
        currency = price.Currency,
        livemode = false,
        lookup_key = (string?)null,
        metadata = new Dictionary<string, string>(),
        nickname = (string?)null,
        product = price.ProductId,
        recurring = price.Interval is { } interval ? new { interval, interval_count = 1, usage_type = "licensed" } : null,
        tax_behavior = "unspecified",
        type = price.IsRecurring ? "recurring" : "one_time",
        unit_amount = price.UnitAmount,
        unit_amount_decimal = price.UnitAmount.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>As of API version 2025-03-31, the current period lives on the items, not on the subscription.</summary>
    public static object Subscription(EmulatedSubscription subscription) => new
    {
        id = subscription.Id,
        @object = "subscription",
        billing_cycle_anchor = Unix(subscription.CurrentPeriodStart),
        cancel_at = Unix(subscription.CancelAt),
        cancel_at_period_end = subscription.CancelAtPeriodEnd,
        canceled_at = Unix(subscription.CanceledAt),
        collection_method = "charge_automatically",
        created = Unix(subscription.Created),
        currency = subscription.Price.Currency,
        customer = subscription.CustomerId,
        ended_at = Unix(subscription.EndedAt),
        items = new
        {
            @object = "list",
            data = new[]
            {
                new
                {
                    id = subscription.ItemId,
                    @object = "subscription_item",
                    created = Unix(subscription.Created),
                    current_period_end = Unix(subscription.CurrentPeriodEnd),
                    current_period_start = Unix(subscription.CurrentPeriodStart),
                    metadata = new Dictionary<string, string>(),
                    price = Price(subscription.Price),
                    quantity = subscription.Quantity,
                    subscription = subscription.Id,
                },
            },
            has_more = false,
            total_count = 1,
            url = $"/v1/subscription_items?subscription={subscription.Id}",
        },
        livemode = false,
        metadata = subscription.Metadata,
        start_date = Unix(subscription.Created),
        status = subscription.Status,
        trial_end = (long?)null,
        trial_start = (long?)null,
    };

    public static object CheckoutSession(EmulatedCheckoutSession session) => new
    {
        id = session.Id,
        @object = "checkout.session",
        allow_promotion_codes = session.AllowPromotionCodes,
        amount_subtotal = session.Price.UnitAmount * session.Quantity,
        amount_total = session.Price.UnitAmount * session.Quantity,
        cancel_url = session.CancelUrl,
        client_reference_id = session.ClientReferenceId,
        created = Unix(session.Created),
        currency = session.Price.Currency,
        customer = session.CustomerId,
        expires_at = Unix(session.Created.AddHours(24)),
        livemode = false,
        locale = session.Locale,
        metadata = session.Metadata,
        mode = "subscription",
        payment_status = session.Status == EmulatedCheckoutSession.Complete ? "paid" : "unpaid",
        status = session.Status,
        subscription = session.SubscriptionId,
        success_url = session.SuccessUrl,
        ui_mode = "hosted",
        // Stripe stops handing out the page once the session is complete.
        url = session.Status == EmulatedCheckoutSession.Open ? session.Url : null,
    };

    public static object PortalSession(EmulatedPortalSession session) => new
    {
        id = session.Id,
        @object = "billing_portal.session",
        configuration = session.Configuration,
        created = Unix(session.Created),
        customer = session.CustomerId,
        flow = session.Flow is { } flow ? PortalFlow(flow) : null,
        livemode = false,
        locale = session.Locale,
        on_behalf_of = (string?)null,
        return_url = session.ReturnUrl,
        url = session.Url,
    };

    private static object PortalFlow(EmulatedPortalFlow flow) => new
    {
        type = flow.Type,
        after_completion = new
        {
            type = flow.AfterCompletionType,
            redirect = flow.RedirectUrl is { } returnUrl ? new { return_url = returnUrl } : null,
            hosted_confirmation = (object?)null,
        },
        subscription_cancel = flow.Type == "subscription_cancel" ? new { subscription = flow.SubscriptionId } : null,
        subscription_update = flow.Type == "subscription_update" ? new { subscription = flow.SubscriptionId } : null,
        subscription_update_confirm = (object?)null,
    };

    private static long Unix(DateTimeOffset time) => time.ToUnixTimeSeconds();

    private static long? Unix(DateTimeOffset? time) => time?.ToUnixTimeSeconds();
}
