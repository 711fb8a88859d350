namespace Billing.Application.PortalAudit;

/// <summary>How a request for a portal session ended.</summary>
public enum PortalAuditOutcome
{
    Created,

    /// <summary>The tenant's subscription was read from Stripe and stored.</summary>
    Synced,

    NoCustomer,
    NoSubscription,
    Forbidden,
    RateLimited,
    StripeError,
    InvalidRequest,

    /// <summary>The caller hung up while Stripe was being asked: Stripe may have created a session nobody received.</summary>
    Abandoned,
}
