namespace Billing.Application.StripeEvents;

/// <summary>The event types this service acts on.</summary>
public static class StripeEventTypes
{
    public const string CheckoutSessionCompleted = "checkout.session.completed";
    public const string CustomerDeleted = "customer.deleted";

    /// <summary>Types after which the customer named in the event is synced from Stripe.</summary>
    public static IReadOnlySet<string> SyncCustomer { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        CheckoutSessionCompleted,
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "customer.subscription.paused",
        "customer.subscription.resumed",
        "customer.subscription.trial_will_end",
        "invoice.paid",
        "invoice.payment_failed",
    };
}
