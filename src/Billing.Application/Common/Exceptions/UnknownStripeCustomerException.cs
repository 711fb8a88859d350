namespace Billing.Application.Common.Exceptions;

/// <summary>Stripe answered that the customer id we sent does not exist (deleted, or from another account or mode).</summary>
public sealed class UnknownStripeCustomerException(string stripeCustomerId, string? stripeRequestId)
    : Exception($"Stripe does not know customer {stripeCustomerId} (request {stripeRequestId ?? "n/a"}).")
{
    public string StripeCustomerId { get; } = stripeCustomerId;

    public string? StripeRequestId { get; } = stripeRequestId;
}
