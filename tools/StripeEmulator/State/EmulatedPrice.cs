namespace StripeEmulator.State;

/// <summary>
/// A price and the product it belongs to, as the emulator keeps it. <see cref="Interval"/> is <c>month</c> or
/// <c>year</c>, or null for a one-time price.
/// </summary>
public sealed record EmulatedPrice(
    string Id, string ProductId, string ProductName, long UnitAmount, string Currency, string? Interval, DateTimeOffset Created)
{
    public bool IsRecurring => Interval is not null;

    /// <summary>The end of a billing period that starts at <paramref name="start"/>.</summary>
    public DateTimeOffset PeriodEndAfter(DateTimeOffset start) => Interval == "year" ? start.AddYears(1) : start.AddMonths(1);
}
