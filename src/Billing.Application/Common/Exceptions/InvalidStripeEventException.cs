namespace Billing.Application.Common.Exceptions;

/// <summary>A correctly signed webhook delivery that is not a Stripe event (no <c>id</c>, <c>type</c> or <c>data.object</c>).</summary>
public sealed class InvalidStripeEventException() : Exception("The webhook delivery is not a Stripe event.");
