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

    /// <summary>Marks the claimed event done: <paramref name="ignored"/> when it needed nothing, with <paramref name="note"/> saying why.</summary>
    Task CompleteAsync(StoredStripeEvent claimed, bool ignored, string? note, CancellationToken cancellationToken);

    /// <summary>Leaves the claimed event pending until <paramref name="nextAttemptAt"/>, with <paramref name="failure"/>, what stopped this attempt.</summary>
    Task RetryLaterAsync(StoredStripeEvent claimed, string failure, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken);

    /// <summary>Gives up on the claimed event: it stays stored, marked dead, for a person to look at.</summary>
    Task MarkDeadAsync(StoredStripeEvent claimed, string failure, CancellationToken cancellationToken);

    /// <returns>When the oldest pending event was received, or null when none is pending.</returns>
    Task<DateTimeOffset?> OldestPendingAsync(CancellationToken cancellationToken);
}
