namespace Billing.Application.StripeEvents;

/// <summary>An event claimed from the inbox for processing.</summary>
/// <param name="Event">The event.</param>
/// <param name="Attempts">How many attempts have been made at it, this one included.</param>
public sealed record StoredStripeEvent(StripeEvent Event, int Attempts);
