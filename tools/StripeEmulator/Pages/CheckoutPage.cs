using StripeEmulator.Api;
using StripeEmulator.State;
using StripeEmulator.Webhooks;

namespace StripeEmulator.Pages;

/// <summary>
/// The hosted Checkout page, <c>/c/pay/{session id}</c>: the plan, the customer, and a Pay button that starts the
/// subscription at once (no card asked for) and sends the browser to the session's success URL.
/// </summary>
internal static class CheckoutPage
{
    public const string Path = "/c/pay";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet($"{Path}/{{id}}", Show);
        endpoints.MapPost($"{Path}/{{id}}", Pay);
    }

    private static IResult Show(string id, HttpContext context, EmulatorStore store)
    {
        if (store.FindCheckoutSession(id) is not { } session)
        {
            return Html.NotFound(context, "No such Checkout session.");
        }

        var customer = store.FindCustomer(session.CustomerId);
        var quantity = session.Quantity > 1 ? $"<p id=\"quantity\">Quantity: {session.Quantity}</p>" : string.Empty;
        var cancel = session.CancelUrl is { } cancelUrl ? $"<p><a id=\"cancel\" href=\"{Html.Encode(cancelUrl)}\">Cancel</a></p>" : string.Empty;
        return Html.Page(context, "Checkout", $"""
            <p id="plan">{Html.Encode(Html.Plan(session.Price))}</p>
            {quantity}
            <p id="customer">{Html.Encode(customer?.Email is { } email ? $"{email} ({session.CustomerId})" : session.CustomerId)}</p>
            {Html.Button($"{Path}/{id}", "pay", "Pay")}
            {cancel}
            """);
    }

    /// <summary>Paying a session already paid changes nothing and sends no event; the browser still goes to the success URL.</summary>
    private static IResult Pay(string id, HttpContext context, EmulatorStore store, WebhookEvents events)
    {
        if (store.CompleteCheckout(id) is not (var session, var created))
        {
            return Html.NotFound(context, "No such Checkout session.");
        }

        if (created is not null)
        {
            // In the order Stripe usually sends them.
            var requestId = RequestIds.Of(context);
            events.Publish("customer.subscription.created", StripeJson.Subscription(created), requestId);
            events.Publish("checkout.session.completed", StripeJson.CheckoutSession(session), requestId);
        }

        return Html.SeeOther(session.SuccessUrl.Replace("{CHECKOUT_SESSION_ID}", session.Id, StringComparison.Ordinal));
    }
}
