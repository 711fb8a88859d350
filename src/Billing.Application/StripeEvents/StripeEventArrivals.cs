namespace Billing.Application.StripeEvents;

/// <summary>
/// Wakes this instance's event worker when this instance stores an event, so that it is processed at once instead of
/// at the next poll. Events stored by other instances are found by polling.
/// </summary>
public sealed class StripeEventArrivals : IDisposable
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Notify()
    {
        try
        {
            signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the worker will look at the inbox anyway.
        }
    }

    /// <summary>Waits for the next arrival or <paramref name="timeout"/>, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => signal.Dispose();
}
