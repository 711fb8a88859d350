namespace Billing.Application.Checkout;

/// <summary>Creates tenants' Stripe customers.</summary>
public interface IStripeCustomerGateway
{
    /// <summary>
    /// Creates the tenant's customer with an idempotency key derived from the tenant alone, so that a retry after a
    /// crash (within Stripe's 24 hours) gets the same customer back instead of a second one; then sets its email and
    /// name, which may differ between retries and so stay out of the keyed request.
    /// </summary>
    /// <returns>The customer's id (<c>cus_…</c>).</returns>
    /// <exception cref="Common.Exceptions.PaymentProviderException">Any failure, including timeouts.</exception>
    Task<string> CreateAsync(NewStripeCustomer customer, CancellationToken cancellationToken);
}
