namespace Billing.Application.PortalAudit;

/// <summary>The wire names of <see cref="PortalAuditOutcome"/>.</summary>
public static class PortalAuditOutcomes
{
    private static readonly Dictionary<PortalAuditOutcome, string> WireNames = new()
    {
        [PortalAuditOutcome.Created] = "created",
        [PortalAuditOutcome.Synced] = "synced",
        [PortalAuditOutcome.NoCustomer] = "no_customer",
        [PortalAuditOutcome.NoSubscription] = "no_subscription",
        [PortalAuditOutcome.SubscriptionExists] = "subscription_exists",
        [PortalAuditOutcome.Forbidden] = "forbidden",
        [PortalAuditOutcome.RateLimited] = "rate_limited",
        [PortalAuditOutcome.StripeError] = "stripe_error",
        [PortalAuditOutcome.StripeBusy] = "stripe_busy",
        [PortalAuditOutcome.InvalidRequest] = "invalid_request",
        [PortalAuditOutcome.Abandoned] = "abandoned",
    };

    /// <summary>The name stored in <c>billing_portal_audit.outcome</c> and shown to tenant admins.</summary>
    public static string ToWireName(this PortalAuditOutcome outcome) => WireNames[outcome];
}
