namespace StripeEmulator.State;

/// <summary>
/// A subscription with one item (<see cref="ItemId"/>: <see cref="Price"/> times <see cref="Quantity"/>), as the
/// emulator keeps it.
/// </summary>
public sealed record EmulatedSubscription(
    string Id,
    string CustomerId,
    string Status,
    string ItemId,
    EmulatedPrice Price,
    long Quantity,
    DateTimeOffset CurrentPeriodStart,
    DateTimeOffset CurrentPeriodEnd,
    DateTimeOffset Created)
{
    public bool CancelAtPeriodEnd { get; init; }

    public DateTimeOffset? CancelAt { get; init; }

    public DateTimeOffset? CanceledAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether it has ended; an ended subscription changes no more.</summary>
    public bool IsCanceled => Status == "canceled";
}
