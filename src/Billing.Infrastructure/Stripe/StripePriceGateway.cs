using Billing.Application.Checkout;
using global::Stripe;

namespace Billing.Infrastructure.Stripe;

/// <summary>Reads plan prices with Stripe.net's <see cref="PriceService"/>.</summary>
internal sealed class StripePriceGateway(IStripeClient stripeClient, StripeCalls calls) : IStripePriceGateway
{
    private const string Operation = "prices.retrieve";

    private readonly PriceService prices = new(stripeClient);

    public Task<StripePrice?> FindAsync(string priceId, CancellationToken cancellationToken) =>
        calls.RunAsync(Operation, stripeCustomerId: null, async deadline =>
        {
            try
            {
                var price = await prices.GetAsync(priceId, options: null, requestOptions: null, deadline);
                return new StripePrice(price.Id, price.UnitAmount, price.Currency, price.Recurring?.Interval);
            }
            catch (StripeException exception) when (exception.StripeError?.Code == "resource_missing")
            {
                return null;
            }
        }, cancellationToken);
}
