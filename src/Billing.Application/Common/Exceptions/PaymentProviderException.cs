namespace Billing.Application.Common.Exceptions;

/// <summary>
/// The payment provider failed, timed out or could not be reached. The message is ours and safe to log:
/// it never carries the provider's own error text, which can echo parts of an API key.
/// </summary>
public sealed class PaymentProviderException(string message, string? stripeRequestId = null, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>Stripe's <c>Request-Id</c>, for looking the request up in the Stripe dashboard; null when none was received.</summary>
    public string? StripeRequestId { get; } = stripeRequestId;
}
