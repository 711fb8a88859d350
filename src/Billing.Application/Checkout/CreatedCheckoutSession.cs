namespace Billing.Application.Checkout;

/// <summary>What Stripe answered to a new Checkout session.</summary>
/// <param name="Id">The session (<c>cs_…</c>), for the audit trail.</param>
/// <param name="Url">Where the user pays; handed to the caller and never stored.</param>
/// <param name="StripeRequestId">Stripe's request id, for the audit trail.</param>
public sealed record CreatedCheckoutSession(string Id, string Url, string? StripeRequestId);
