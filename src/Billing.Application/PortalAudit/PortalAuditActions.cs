namespace Billing.Application.PortalAudit;

/// <summary>What a row of the audit trail records a request for; stored in <c>billing_portal_audit.action</c>.</summary>
public static class PortalAuditActions
{
    /// <summary>A billing portal session.</summary>
    public const string Portal = "portal";

    /// <summary>A sync of the tenant's subscription from Stripe.</summary>
    public const string Sync = "sync";

    /// <summary>A Stripe Checkout session to subscribe.</summary>
    public const string Checkout = "checkout";
}
