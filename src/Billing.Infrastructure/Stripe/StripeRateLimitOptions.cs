namespace Billing.Infrastructure.Stripe;

/// <summary>The Stripe budget every instance shares (section <c>Stripe:RateLimit</c>).</summary>
public sealed class StripeRateLimitOptions
{
    /// <summary>
    /// Stripe calls per second, across every instance together; 0 turns the budget off. Stripe's default limits are 25
    /// per endpoint, and 100 for a live account as a whole (25 in a sandbox).
    /// </summary>
    public int RequestsPerSecond { get; set; } = 25;

    /// <summary>The most of the budget background work (event syncs) takes while users' calls are waiting; all of it when none are.</summary>
    public double BackgroundShare { get; set; } = 0.5;

    /// <summary>How long a user's call may wait for its turn before the user is told to try again (503).</summary>
    public int MaxWaitMilliseconds { get; set; } = 2000;
}
