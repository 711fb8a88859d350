namespace Billing.Application.Checkout;

/// <summary>Reads prices from Stripe.</summary>
public interface IStripePriceGateway
{
    /// <returns>The price, or null when Stripe does not know it.</returns>
    /// <exception cref="Common.Exceptions.PaymentProviderException">Any other failure, including timeouts.</exception>
    Task<StripePrice?> FindAsync(string priceId, CancellationToken cancellationToken);
}
