namespace Billing.Application.PortalAudit;

/// <summary>How an audited request (portal, sync or checkout) ended.</summary>
public enum PortalAuditOutcome
{
    Created,

    /// <summary>The tenant's subscription was read from Stripe and stored.</summary>
    Synced,

    NoCustomer,
    NoSubscription,

    /// <summary>Checkout was asked for by a tenant that already has a live subscription.</summary>
    SubscriptionExists,

    Forbidden,
    RateLimited,
    StripeError,

    /// <summary>Stripe's budget was spent: the shared rate would have been exceeded, or Stripe answered 429.</summary>
    StripeBusy,

    InvalidRequest,

    /// <summary>The caller hung up while Stripe was being asked: Stripe may have created a session nobody received.</summary>
    Abandoned,
}
