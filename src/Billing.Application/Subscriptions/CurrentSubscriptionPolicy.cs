namespace Billing.Application.Subscriptions;

/// <summary>Which of a customer's subscriptions is the tenant's current one.</summary>
public static class CurrentSubscriptionPolicy
{
    /// <summary>The statuses of a subscription the customer still has: the portal can act on it, and Checkout must not start another.</summary>
    public static IReadOnlySet<string> LiveStatuses { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "active", "trialing", "past_due", "unpaid", "paused",
    };

    /// <summary>The newest live subscription; if none is live, the newest of all; null when there is none.</summary>
    public static StripeSubscription? Choose(IEnumerable<StripeSubscription> subscriptions)
    {
        var newestFirst = subscriptions.OrderByDescending(subscription => subscription.Created).ToList();
        return newestFirst.FirstOrDefault(subscription => LiveStatuses.Contains(subscription.Status)) ?? newestFirst.FirstOrDefault();
    }

    /// <summary>The state to store for a customer whose subscriptions were read at <paramref name="readAt"/>.</summary>
    public static SubscriptionState ToState(IEnumerable<StripeSubscription> subscriptions, DateTimeOffset readAt) =>
        Choose(subscriptions) is { } current
            ? new SubscriptionState(
                current.Status, current.Id, current.PriceId, current.ProductId, current.Quantity, current.CurrentPeriodEnd,
                current.CancelAtPeriodEnd, current.CancelAt, current.TrialEnd, readAt)
            : SubscriptionState.None(readAt);
}
