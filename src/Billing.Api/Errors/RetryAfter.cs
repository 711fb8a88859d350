using System.Globalization;

namespace Billing.Api.Errors;

/// <summary>The value of a <c>Retry-After</c> header, for the per-tenant limit's 429 and the Stripe budget's 503 alike.</summary>
internal static class RetryAfter
{
    /// <summary>Whole seconds, at least one: a client retrying at once would only meet the same limit.</summary>
    public static string InWholeSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
