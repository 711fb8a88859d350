namespace Billing.Application.Subscriptions;

/// <summary>One of a customer's subscriptions, as Stripe lists it: the fields the billing state keeps.</summary>
/// <param name="Id">The subscription (<c>sub_…</c>).</param>
/// <param name="Status">Stripe's status.</param>
/// <param name="Created">When it was created; the newest wins among equals.</param>
/// <param name="PriceId">The first item's price.</param>
/// <param name="ProductId">The first item's price's product.</param>
/// <param name="Quantity">The first item's quantity.</param>
/// <param name="CurrentPeriodEnd">The first item's current period end (the API version Stripe.net speaks keeps it on items).</param>
/// <param name="CancelAtPeriodEnd">Whether it ends at the period's end.</param>
/// <param name="CancelAt">When it is set to end, if it is.</param>
/// <param name="TrialEnd">When its trial ends, if it has one.</param>
public sealed record StripeSubscription(
    string Id,
    string Status,
    DateTimeOffset Created,
    string? PriceId,
    string? ProductId,
    long? Quantity,
    DateTimeOffset? CurrentPeriodEnd,
    bool CancelAtPeriodEnd,
    DateTimeOffset? CancelAt,
    DateTimeOffset? TrialEnd);
