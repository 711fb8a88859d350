using Billing.Application.StripeEvents;

namespace Billing.Tests.Application.StripeEvents;

public sealed class StripeEventTypesTests
{
    [Test]
    public void SyncCustomer_Always_IsCheckoutSubscriptionLifecycleAndInvoiceOutcomeTypes()
    {
        Assert.That(StripeEventTypes.SyncCustomer, Is.EquivalentTo(new[]
        {
            "checkout.session.completed",
            "customer.subscription.created",
            "customer.subscription.updated",
            "customer.subscription.deleted",
            "customer.subscription.paused",
            "customer.subscription.resumed",
            "customer.subscription.trial_will_end",
            "invoice.paid",
            "invoice.payment_failed",
        }));
    }
}
