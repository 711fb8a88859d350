namespace Billing.Application.PortalSessions;

/// <summary>A deep link into one task of the Billing Portal, instead of its home page.</summary>
public enum PortalFlow
{
    PaymentMethodUpdate,
    SubscriptionCancel,
    SubscriptionUpdate,
}
