using System.Globalization;
using System.Text;
using StripeEmulator.Api;
using StripeEmulator.State;
using StripeEmulator.Webhooks;

namespace StripeEmulator.Pages;

/// <summary>
/// The hosted billing portal, <c>/p/session/{token}</c>: the customer's subscription and a button per choice (cancel
/// at period end, cancel now, don't cancel, switch plan). A session with <c>flow_data</c> offers only its flow's
/// choices, for its subscription. A POST can only make a choice the page offers, so a token never reaches another
/// customer's subscription.
/// </summary>
internal static class PortalPage
{
    public const string Path = "/p/session";

    private const string Title = "Billing portal";
    private const string CancelAtPeriodEnd = "cancel-at-period-end";
    private const string CancelNow = "cancel-now";
    private const string Renew = "renew";
    private const string SwitchPlan = "switch-plan";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet($"{Path}/{{token}}", Show);
        endpoints.MapPost($"{Path}/{{token}}/{{action}}", ChooseAsync);
    }

    private static IResult Show(string token, HttpContext context, EmulatorStore store)
    {
        if (store.FindPortalSession(token) is not { } session)
        {
            return Html.NotFound(context, "No such billing portal session.");
        }

        var returnLink = $"<p><a id=\"return\" href=\"{Html.Encode(session.ReturnUrl)}\">Return</a></p>";
        if (session.Flow is { Type: not ("subscription_cancel" or "subscription_update") } flow)
        {
            return Html.Page(context, Title, $"<p id=\"flow\">The emulator has no {Html.Encode(flow.Type)} page.</p>{returnLink}");
        }

        if (ShownSubscription(session, store) is not { } subscription)
        {
            return Html.Page(context, Title, $"<p id=\"no-subscription\">No subscription.</p>{returnLink}");
        }

        var body = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<p id=\"plan\">{Html.Encode(Html.Plan(subscription.Price))}</p>")
            .Append(CultureInfo.InvariantCulture, $"<p id=\"status\">{Html.Encode(subscription.Status)}</p>");
        if (subscription.CancelAtPeriodEnd)
        {
            var date = (subscription.CancelAt ?? subscription.CurrentPeriodEnd).ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);
            body.Append(CultureInfo.InvariantCulture, $"<p id=\"cancels\">Cancels on {Html.Encode(date)}</p>");
        }

        foreach (var choice in Choices(session, subscription, store))
        {
            (string, string)[] fields = choice.Price is { } price
                ? [("subscription", subscription.Id), ("price", price.Id)]
                : [("subscription", subscription.Id)];
            body.Append(Html.Button($"{Path}/{token}/{choice.Action}", choice.ElementId, choice.Label, fields));
        }

        return Html.Page(context, Title, body.Append(returnLink).ToString());
    }

    private static async Task<IResult> ChooseAsync(string token, string action, HttpContext context, EmulatorStore store, WebhookEvents events)
    {
        if (store.FindPortalSession(token) is not { } session)
        {
            return Html.NotFound(context, "No such billing portal session.");
        }

        // Only a choice the page offers: on the subscription it shows, of this session's customer, within its flow.
        var form = await FormFields.ReadAsync(context.Request);
        var shown = ShownSubscription(session, store);
        if (shown is null || shown.Id != form.Value("subscription") || Offered(session, shown, store, action, form.Value("price")) is not { } choice)
        {
            return Html.NotFound(context, "This page offers no such choice.");
        }

        var now = store.Now;
        // Never null: the shown subscription is this customer's, which is all the store checks.
        var updated = store.UpdateSubscription(session.CustomerId, shown.Id, subscription => Apply(choice, subscription, now))!;
        var eventType = choice.Action == CancelNow ? "customer.subscription.deleted" : "customer.subscription.updated";
        events.Publish(eventType, StripeJson.Subscription(updated), RequestIds.Of(context));
        return Html.SeeOther(session.Flow?.RedirectUrl ?? $"{Path}/{token}");
    }

    /// <summary>The flow's subscription; without a flow, the customer's newest live one, or else their newest ended one.</summary>
    private static EmulatedSubscription? ShownSubscription(EmulatedPortalSession session, EmulatorStore store)
    {
        if (session.Flow?.SubscriptionId is { } flowSubscriptionId)
        {
            var subscription = store.FindSubscription(flowSubscriptionId);
            return subscription?.CustomerId == session.CustomerId ? subscription : null;
        }

        var subscriptions = store.SubscriptionsOf(session.CustomerId);
        return subscriptions.FirstOrDefault(subscription => !subscription.IsCanceled) ?? (subscriptions.Count > 0 ? subscriptions[0] : null);
    }

    /// <summary>What the page offers for the subscription: nothing once it has ended, and only its flow's choices in a flow.</summary>
    private static IEnumerable<Choice> Choices(EmulatedPortalSession session, EmulatedSubscription subscription, EmulatorStore store)
    {
        if (subscription.IsCanceled)
        {
            yield break;
        }

        var flowType = session.Flow?.Type;
        if (flowType is null or "subscription_cancel")
        {
            if (!subscription.CancelAtPeriodEnd)
            {
                yield return new Choice(CancelAtPeriodEnd, CancelAtPeriodEnd, "Cancel at period end");
            }

            yield return new Choice(CancelNow, CancelNow, "Cancel now");
        }

        if (flowType is null && subscription.CancelAtPeriodEnd)
        {
            yield return new Choice(Renew, Renew, "Don't cancel");
        }

        if (flowType is null or "subscription_update")
        {
            var otherPlans = store.Prices.Where(price => price.IsRecurring && price.Id != subscription.Price.Id).OrderBy(price => price.UnitAmount);
            foreach (var price in otherPlans)
            {
                yield return new Choice(SwitchPlan, $"{SwitchPlan}-{price.Id}", $"Switch to {price.ProductName}", price);
            }
        }
    }

    private static Choice? Offered(EmulatedPortalSession session, EmulatedSubscription shown, EmulatorStore store, string action, string? priceId) =>
        Choices(session, shown, store).FirstOrDefault(offered => offered.Action == action && offered.Price?.Id == priceId);

    private static EmulatedSubscription Apply(Choice choice, EmulatedSubscription subscription, DateTimeOffset now) => choice.Action switch
    {
        CancelAtPeriodEnd => subscription with { CancelAtPeriodEnd = true, CancelAt = subscription.CurrentPeriodEnd, CanceledAt = now },
        CancelNow => subscription with { Status = "canceled", CancelAtPeriodEnd = false, CanceledAt = now, EndedAt = now },
        Renew => subscription with { CancelAtPeriodEnd = false, CancelAt = null, CanceledAt = null },
        // The plan changes within the current period; the emulator bills nothing, so there is nothing to prorate.
        _ => subscription with { Price = choice.Price! },
    };

    // Action: the last segment of the form's URL; ElementId: the button's id, which browser tests click; Price: where a
    // plan switch goes.
    private sealed record Choice(string Action, string ElementId, string Label, EmulatedPrice? Price = null);
}
