namespace Billing.Application.Common.Exceptions;

/// <summary>A webhook delivery whose <c>Stripe-Signature</c> is missing, malformed, wrong or outside the tolerance.</summary>
public sealed class InvalidStripeSignatureException() : Exception("The webhook delivery's Stripe-Signature does not verify.");
