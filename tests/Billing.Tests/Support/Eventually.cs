using System.Diagnostics;

namespace Billing.Tests.Support;

/// <summary>
/// For state that only the database shows (an event processed by a background worker, in this process or another):
/// reads it again and again until it is as awaited, within a deadline. Where a fake or a log line signals the moment,
/// wait on that instead (<see cref="Arrivals{T}"/>).
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Returns the first value <paramref name="read"/> gives that satisfies <paramref name="condition"/>.</summary>
    /// <exception cref="TimeoutException">None did within <paramref name="timeout"/>; the message names what was <paramref name="awaited"/> and the last value read.</exception>
    public static async Task<T> ReadUntilAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string awaited, TimeSpan timeout)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (elapsed.Elapsed >= timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds} s for {awaited}; the last read gave: {value}");
            }

            await Task.Delay(Interval);
        }
    }
}
