using Billing.Domain.Tenants;

namespace Billing.Application.Subscriptions;

/// <summary>
/// Makes a tenant's stored billing state Stripe's: reads every subscription of its customer, chooses the current one
/// and stores it. Whatever triggered it (an event of any age, a user coming back from Stripe), the result is Stripe's
/// state at the time of the read.
/// </summary>
public sealed class SubscriptionSync(IStripeSubscriptionGateway stripe, ITenantBillingRepository billing, TimeProvider time)
{
    /// <exception cref="Common.Exceptions.UnknownStripeCustomerException">Stripe does not know the customer.</exception>
    /// <exception cref="Common.Exceptions.PaymentProviderException">Stripe failed or could not be reached.</exception>
    public async Task<SubscriptionState> SyncAsync(TenantId tenantId, string stripeCustomerId, CancellationToken cancellationToken)
    {
        // Taken before the read: of two reads racing, the one that started later saw at least as much and is kept.
        // In whole microseconds, as PostgreSQL stores it, so that the answer and a later read of the stored state agree.
        var now = time.GetUtcNow();
        var readAt = now.AddTicks(-(now.Ticks % 10));
        var subscriptions = await stripe.ListAsync(stripeCustomerId, cancellationToken);
        var state = CurrentSubscriptionPolicy.ToState(subscriptions, readAt);
        await billing.SaveStateAsync(tenantId, stripeCustomerId, state, cancellationToken);
        return state;
    }
}
