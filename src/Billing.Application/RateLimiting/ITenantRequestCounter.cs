using Billing.Domain.Tenants;

namespace Billing.Application.RateLimiting;

/// <summary>
/// Each tenant's request count in its current fixed window, kept where every instance of the service counts, so that
/// N instances allow <c>Portal:RateLimit:PermitLimit</c> per window in total rather than N times it.
/// </summary>
public interface ITenantRequestCounter
{
    /// <summary>
    /// Counts one request of the tenant in its current window, or in a new one of length <paramref name="window"/>
    /// when the last has ended. Atomic however many instances count at once: no two calls see the same count.
    /// </summary>
    /// <returns>The window's count including this request, and how long the window still lasts.</returns>
    Task<TenantWindowCount> IncrementAsync(TenantId tenantId, TimeSpan window, CancellationToken cancellationToken);
}

/// <summary>A tenant's count in its current window, this request included, and the time until that window ends.</summary>
public readonly record struct TenantWindowCount(long Count, TimeSpan Remaining);
