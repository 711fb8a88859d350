namespace Billing.Application.Subscriptions;

/// <summary>Reads a customer's subscriptions from Stripe.</summary>
public interface IStripeSubscriptionGateway
{
    /// <summary>Every subscription of the customer, whatever its status.</summary>
    /// <exception cref="Common.Exceptions.UnknownStripeCustomerException">Stripe does not know the customer.</exception>
    /// <exception cref="Common.Exceptions.PaymentProviderException">Any other failure, including timeouts.</exception>
    Task<IReadOnlyList<StripeSubscription>> ListAsync(string stripeCustomerId, CancellationToken cancellationToken);
}
