namespace StripeEmulator.Api;

/// <summary>
/// Lets through /v1 requests with a test-mode key (<c>Authorization: Bearer sk_test_…</c> or <c>rk_test_…</c>) and
/// answers the others 401 as Stripe does. A live key is refused too: whoever sends one meant the real Stripe.
/// </summary>
internal static class ApiKeys
{
    private const string Scheme = "Bearer ";
    private static readonly string[] TestModePrefixes = ["sk_test_", "rk_test_"];

    public static ValueTask<object?> RequireTestKeyAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var authorization = context.HttpContext.Request.Headers.Authorization.ToString();
        var key = authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? authorization[Scheme.Length..].Trim() : string.Empty;
        if (TestModePrefixes.Any(prefix => key.Length > prefix.Length && key.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return next(context);
        }

        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer realm=\"Stripe\"";
        return ValueTask.FromResult<object?>(StripeErrors.Unauthorized(key.Length == 0
            ? "You did not provide an API key. Send it as 'Authorization: Bearer sk_test_...'."
            : "Invalid API Key provided: the emulator accepts only test-mode keys (sk_test_... or rk_test_...)."));
    }
}
