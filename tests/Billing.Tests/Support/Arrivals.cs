namespace Billing.Tests.Support;

/// <summary>
/// What has arrived so far (requests a fake received, lines a process wrote, answers a burst got back), in order,
/// that a test can wait on: a wait ends at the arrival that makes its condition true, not at the next tick of a timer.
/// </summary>
internal sealed class Arrivals<T>
{
    private readonly List<T> items = [];
    private readonly List<(Func<IReadOnlyList<T>, bool> Condition, TaskCompletionSource Met)> waiters = [];

    public IReadOnlyList<T> Snapshot()
    {
        lock (items)
        {
            return items.ToArray();
        }
    }

    public void Add(T item)
    {
        lock (items)
        {
            items.Add(item);
            foreach (var waiter in waiters.Where(waiter => waiter.Condition(items)).ToArray())
            {
                waiter.Met.TrySetResult();
                waiters.Remove(waiter);
            }
        }
    }

    public void Clear()
    {
        lock (items)
        {
            items.Clear();
        }
    }

    /// <summary>Returns what has arrived once <paramref name="condition"/> holds for it.</summary>
    /// <exception cref="TimeoutException">It did not hold within <paramref name="timeout"/>; the message says what <paramref name="awaited"/> was and lists what arrived.</exception>
    public async Task<IReadOnlyList<T>> WaitUntilAsync(Func<IReadOnlyList<T>, bool> condition, string awaited, TimeSpan timeout)
    {
        var met = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (items)
        {
            if (condition(items))
            {
                return items.ToArray();
            }

            waiters.Add((condition, met));
        }

        try
        {
            await met.Task.WaitAsync(timeout);
            return Snapshot();
        }
        catch (TimeoutException)
        {
            var arrived = Snapshot();
            throw new TimeoutException($"Waited {timeout.TotalSeconds} s for {awaited}; {arrived.Count} arrived, the last of them:" +
                $"{Environment.NewLine}{string.Join(Environment.NewLine, arrived.TakeLast(50))}");
        }
        finally
        {
            lock (items)
            {
                waiters.RemoveAll(waiter => waiter.Met == met);
            }
        }
    }
}
