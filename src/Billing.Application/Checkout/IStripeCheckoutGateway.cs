namespace Billing.Application.Checkout;

/// <summary>Opens Stripe Checkout sessions.</summary>
public interface IStripeCheckoutGateway
{
    /// <summary>A <c>mode=subscription</c> session for the customer, tagged with the tenant.</summary>
    /// <exception cref="Common.Exceptions.UnknownStripeCustomerException">Stripe does not know the customer.</exception>
    /// <exception cref="Common.Exceptions.PaymentProviderException">Any other failure, including timeouts.</exception>
    Task<CreatedCheckoutSession> CreateSessionAsync(CheckoutSessionParameters parameters, CancellationToken cancellationToken);
}
