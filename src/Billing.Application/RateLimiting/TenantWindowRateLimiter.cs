using System.Threading.RateLimiting;
using Billing.Domain.Tenants;

namespace Billing.Application.RateLimiting;

/// <summary>
/// One tenant's fixed window of <c>permitLimit</c> requests, counted by <see cref="ITenantRequestCounter"/> so that
/// every instance shares it. A failing count fails the acquisition instead of letting the request through.
/// </summary>
/// <remarks>
/// Once the store has refused the tenant, this instance refuses it too, without asking, until that window ends: a
/// window's count only grows, and the window cannot end sooner than its remainder measured from before the store was
/// asked. So a tenant hammering the button costs the store nothing more in that window, and no answer changes.
/// Nothing else is kept: dropping the limiter (the partitioned limiter drops idle ones) loses nothing.
/// </remarks>
public sealed class TenantWindowRateLimiter : RateLimiter
{
    private static readonly RateLimitLease Acquired = new Lease(isAcquired: true, retryAfter: null);
    private static readonly RateLimitLease Undecided = new Lease(isAcquired: false, retryAfter: null);

    private readonly TenantId tenantId;
    private readonly int permitLimit;
    private readonly TimeSpan window;
    private readonly ITenantRequestCounter counter;
    private readonly TimeProvider time;
    private long lastUsed;
    private long refusedUntil;

    public TenantWindowRateLimiter(TenantId tenantId, int permitLimit, TimeSpan window, ITenantRequestCounter counter, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        this.tenantId = tenantId;
        this.permitLimit = permitLimit;
        this.window = window;
        this.counter = counter;
        this.time = time;
        lastUsed = refusedUntil = time.GetTimestamp();
    }

    /// <summary>How long since a request last asked: the partitioned limiter drops a limiter idle for long.</summary>
    public override TimeSpan? IdleDuration => time.GetElapsedTime(Volatile.Read(ref lastUsed));

    /// <summary>None: the counts live in the shared store, and reading them would cost a round trip.</summary>
    public override RateLimiterStatistics? GetStatistics() => null;

    /// <summary>
    /// Never acquires: the count cannot be read without a round trip to the store. ASP.NET Core's rate limiting
    /// middleware asks this first and, when it is not acquired, asks <see cref="AcquireAsyncCore"/>, which counts.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Undecided;

    /// <summary>Counts the request in the shared window; acquired while the count is within the limit.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="permitCount"/> is not 1: a request takes one permit.</exception>
    /// <exception cref="OperationCanceledException">The caller hung up while the store was asked.</exception>
    /// <remarks>Whatever the store throws is thrown on: a request whose count is unknown is never let through.</remarks>
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(permitCount, 1);
        var asked = time.GetTimestamp();
        Volatile.Write(ref lastUsed, asked);
        var refused = Volatile.Read(ref refusedUntil);
        if (asked < refused)
        {
            return Refused(time.GetElapsedTime(asked, refused));
        }

        var counted = await counter.IncrementAsync(tenantId, window, cancellationToken);
        if (counted.Count <= permitLimit)
        {
            return Acquired;
        }

        // A count that waited for another instance's row lock measures from its own, earlier start, and may see a
        // little more than a window left; Retry-After never promises more than one window.
        var remaining = counted.Remaining < TimeSpan.Zero ? TimeSpan.Zero : counted.Remaining > window ? window : counted.Remaining;
        Volatile.Write(ref refusedUntil, asked + (long)(remaining.TotalSeconds * time.TimestampFrequency));
        return Refused(remaining);
    }

    private static Lease Refused(TimeSpan retryAfter) => new(isAcquired: false, retryAfter);

    private sealed class Lease(bool isAcquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => isAcquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } value && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = value;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
