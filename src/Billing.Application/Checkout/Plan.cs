namespace Billing.Application.Checkout;

/// <summary>A plan a tenant can subscribe to, with its price as Stripe has it.</summary>
/// <param name="PriceId" example="price_1QTeam">The Stripe price to pass to checkout.</param>
/// <param name="Name" example="Team">What to call it.</param>
/// <param name="UnitAmount" example="1900">Price per unit in the currency's smallest unit (cents); null for a tiered or custom price.</param>
/// <param name="Currency" example="usd">Three-letter ISO currency code, lower case.</param>
/// <param name="Interval" example="month"><c>day</c>, <c>week</c>, <c>month</c> or <c>year</c>.</param>
public sealed record Plan(string PriceId, string Name, long? UnitAmount, string Currency, string Interval);
