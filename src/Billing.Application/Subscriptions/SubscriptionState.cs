namespace Billing.Application.Subscriptions;

/// <summary>A tenant's subscription as last read from Stripe; what the SPA's billing page shows.</summary>
/// <param name="Status">
/// Stripe's status of the current subscription (<c>active</c>, <c>trialing</c>, <c>past_due</c>, <c>unpaid</c>,
/// <c>paused</c>, <c>canceled</c>, <c>incomplete</c>, <c>incomplete_expired</c>), or <c>none</c>.
/// </param>
/// <param name="SubscriptionId">The current subscription (<c>sub_…</c>); null for <c>none</c>.</param>
/// <param name="PriceId">Its price (<c>price_…</c>).</param>
/// <param name="ProductId">Its price's product (<c>prod_…</c>).</param>
/// <param name="Quantity">Its quantity.</param>
/// <param name="CurrentPeriodEnd">When the current billing period ends (UTC).</param>
/// <param name="CancelAtPeriodEnd">Whether it ends at the end of the current period.</param>
/// <param name="CancelAt">When it is set to end (UTC), if it is.</param>
/// <param name="TrialEnd">When its trial ends (UTC), if it has one.</param>
/// <param name="SyncedAt">When this was read from Stripe (UTC); null if it never was.</param>
public sealed record SubscriptionState(
    string Status,
    string? SubscriptionId,
    string? PriceId,
    string? ProductId,
    long? Quantity,
    DateTimeOffset? CurrentPeriodEnd,
    bool? CancelAtPeriodEnd,
    DateTimeOffset? CancelAt,
    DateTimeOffset? TrialEnd,
    DateTimeOffset? SyncedAt)
{
    /// <summary>The status of a customer without any subscription.</summary>
    public const string NoneStatus = "none";

    /// <summary>No subscription, as read at <paramref name="syncedAt"/> (null: never read).</summary>
    public static SubscriptionState None(DateTimeOffset? syncedAt) => new(NoneStatus, null, null, null, null, null, null, null, null, syncedAt);
}
