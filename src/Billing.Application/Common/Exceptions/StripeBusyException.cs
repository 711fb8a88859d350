namespace Billing.Application.Common.Exceptions;

/// <summary>
/// Stripe's budget is spent for now: this service's shared rate would be exceeded beyond the wait a user is given, or
/// Stripe itself answered 429. The user is told to try again after <see cref="RetryAfter"/>.
/// </summary>
public sealed class StripeBusyException(TimeSpan retryAfter, string message, string? stripeRequestId = null) : Exception(message)
{
    /// <summary>When a new call is likely to get its turn.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;

    /// <summary>Stripe's <c>Request-Id</c> of a 429; null when the budget refused before Stripe was called.</summary>
    public string? StripeRequestId { get; } = stripeRequestId;
}
