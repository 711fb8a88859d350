using Microsoft.Extensions.Options;

namespace Billing.Application.PortalSessions;

/// <summary>
/// Decides where the portal may send a user back to. The portal is reached through our service, so an unchecked
/// return URL would make us an open redirect on Stripe's trusted domain: anything that is not plainly one of our
/// own pages is refused.
/// </summary>
public sealed class ReturnUrlPolicy
{
    public const int MaxLength = 2048;

    private readonly string publicUrl;
    private readonly string publicOrigin;
    private readonly HashSet<string> allowedOrigins;

    public ReturnUrlPolicy(IOptions<AppOptions> appOptions, IOptions<PortalOptions> portalOptions)
    {
        publicUrl = appOptions.Value.PublicUrl.TrimEnd('/');
        publicOrigin = OriginOf(new Uri(publicUrl));
        DefaultReturnUrl = publicUrl + portalOptions.Value.ReturnPath;
        var origins = portalOptions.Value.AllowedReturnOrigins is { Length: > 0 } configured
            ? configured
            : [publicUrl];
        allowedOrigins = new HashSet<string>(origins.Select(origin => OriginOf(new Uri(origin))), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Where a user goes back to when the caller names no URL: <c>App:PublicUrl</c> + <c>Portal:ReturnPath</c>.</summary>
    public string DefaultReturnUrl { get; }

    /// <summary>Whether a caller may ask for this return URL; null means "the default" and is allowed.</summary>
    public bool IsAllowed(string? requested) => TryResolve(requested, out _);

    /// <summary>The absolute URL to send to Stripe for an allowed request.</summary>
    /// <exception cref="ArgumentException">The URL is not allowed; validation should have refused it earlier.</exception>
    public string Resolve(string? requested) =>
        TryResolve(requested, out var resolved)
            ? resolved
            : throw new ArgumentException("The return URL is not allowed.", nameof(requested));

    private bool TryResolve(string? requested, out string resolved)
    {
        resolved = string.Empty;
        if (requested is null)
        {
            resolved = DefaultReturnUrl;
            return true;
        }

        // Browsers read '\' as '/' and drop tabs and newlines, so any of them can turn a harmless-looking URL into
        // another host; a legitimate return URL needs none of them.
        if (requested.Length is 0 or > MaxLength || requested.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '\\'))
        {
            return false;
        }

        var isPath = requested[0] == '/';
        if (isPath ? requested.StartsWith("//", StringComparison.Ordinal) : !HasHttpScheme(requested))
        {
            return false;
        }

        if (!Uri.TryCreate(isPath ? publicUrl + requested : requested, UriKind.Absolute, out var uri) || uri.UserInfo.Length > 0
            || !IsPlainPath(uri.AbsolutePath))
        {
            return false;
        }

        var allowed = isPath
            ? string.Equals(OriginOf(uri), publicOrigin, StringComparison.OrdinalIgnoreCase)
            : (uri.Scheme == Uri.UriSchemeHttps || IsLoopbackName(uri.Host)) && allowedOrigins.Contains(OriginOf(uri));
        resolved = allowed ? uri.AbsoluteUri : string.Empty;
        return allowed;
    }

    // Once our page or a proxy decodes the path, "/%2F/evil.example" is "//evil.example", which a browser reads as a
    // host; a return path that needs an encoded slash or backslash at its start, or control characters, is not ours.
    private static bool IsPlainPath(string path)
    {
        var decoded = Uri.UnescapeDataString(path);
        return !decoded.StartsWith("//", StringComparison.Ordinal) && !decoded.Any(c => char.IsControl(c) || c == '\\');
    }

    // Demanding the "//" rejects scheme-relative tricks such as "https:evil.example", which Uri would accept.
    private static bool HasHttpScheme(string url) =>
        url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    private static bool IsLoopbackName(string host) => host is "localhost" or "127.0.0.1";

    private static string OriginOf(Uri uri) => uri.GetLeftPart(UriPartial.Authority);
}
