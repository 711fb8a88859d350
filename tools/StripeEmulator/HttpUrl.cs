namespace StripeEmulator;

internal static class HttpUrl
{
    /// <summary>Whether <paramref name="url"/> is an absolute http or https URL (and so no <c>javascript:</c> link on a page).</summary>
    public static bool IsValid(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
