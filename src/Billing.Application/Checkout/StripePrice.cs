namespace Billing.Application.Checkout;

/// <summary>A price as Stripe has it.</summary>
/// <param name="Id">The price (<c>price_…</c>).</param>
/// <param name="UnitAmount">In the currency's smallest unit; null for a tiered or custom price.</param>
/// <param name="Currency">Lower-case ISO code.</param>
/// <param name="RecurringInterval">The billing interval; null for a one-time price.</param>
public sealed record StripePrice(string Id, long? UnitAmount, string Currency, string? RecurringInterval);
