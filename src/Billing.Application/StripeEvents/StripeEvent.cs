namespace Billing.Application.StripeEvents;

/// <summary>A verified Stripe event, as stored in the inbox.</summary>
/// <param name="Id">Stripe's event id (<c>evt_…</c>), unique across deliveries of the same event.</param>
/// <param name="Type">Its type, e.g. <c>customer.subscription.updated</c>.</param>
/// <param name="Created">When Stripe created it.</param>
/// <param name="Payload">The event's JSON as Stripe sent it; never logged.</param>
public sealed record StripeEvent(string Id, string Type, DateTimeOffset Created, string Payload);
