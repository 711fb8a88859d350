namespace Billing.Infrastructure.Stripe;

/// <summary>
/// Whether the Stripe calls made in the current async flow are background work, which yields Stripe's budget to users.
/// Calls are a user's unless made inside <see cref="Background"/>.
/// </summary>
internal static class StripeCallPriority
{
    private static readonly AsyncLocal<bool> InBackground = new();

    public static bool IsBackground => InBackground.Value;

    /// <summary>Marks the calls made until the scope is disposed as background work.</summary>
    public static IDisposable Background()
    {
        InBackground.Value = true;
        return new Scope();
    }

    private sealed class Scope : IDisposable
    {
        public void Dispose() => InBackground.Value = false;
    }
}
