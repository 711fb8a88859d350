namespace Billing.Application.Checkout;

/// <summary>A Stripe Checkout session opened for the caller's tenant.</summary>
/// <param name="Url" example="https://checkout.stripe.com/c/pay/cs_test_a1">Send the browser here at once; it is a bearer credential for the session, so never store or log it.</param>
public sealed record CheckoutSession(string Url);
