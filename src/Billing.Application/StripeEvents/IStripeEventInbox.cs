namespace Billing.Application.StripeEvents;

/// <summary>The durable store of received events, shared by every instance.</summary>
public interface IStripeEventInbox
{
    /// <returns>True when the event is new; false when the same id was stored before.</returns>
    Task<bool> AddAsync(StripeEvent stripeEvent, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the oldest due pending event for this instance alone for <paramref name="lease"/>, counting an attempt;
    /// an instance that dies meanwhile leaves it to be taken again once the lease ends.
    /// </summary>
    Task<StoredStripeEvent?> ClaimNextAsync(TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Marks the event done: <paramref name="ignored"/> when it needed nothing, with <paramref name="note"/> saying why.</summary>
    Task CompleteAsync(string eventId, bool ignored, string? note, CancellationToken cancellationToken);

    /// <summary>Leaves the event pending until <paramref name="nextAttemptAt"/>, with <paramref name="failure"/>, what stopped this attempt.</summary>
    Task RetryLaterAsync(string eventId, string failure, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken);

    /// <summary>Gives up on the event: it stays stored, marked dead, for a person to look at.</summary>
    Task MarkDeadAsync(string eventId, string failure, CancellationToken cancellationToken);

    /// <returns>When the oldest pending event was received, or null when none is pending.</returns>
    Task<DateTimeOffset?> OldestPendingAsync(CancellationToken cancellationToken);
}
