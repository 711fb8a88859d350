namespace Billing.Application.Common.Validation;

/// <summary>URL shapes that configuration must have.</summary>
public static class UrlRules
{
    /// <summary>An absolute http(s) URL without user info, query or fragment.</summary>
    public static bool IsAbsoluteHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);

    /// <summary>Exactly <c>scheme://host[:port]</c>, as browsers and CORS spell an origin.</summary>
    public static bool IsExactOrigin(string? value) =>
        IsAbsoluteHttpUrl(value)
        && string.Equals(value, new Uri(value!).GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);

    /// <summary>A path on our own host: one leading '/', and nothing ("//host", "/\host") a browser would read as another host.</summary>
    public static bool IsLocalPath(string? value) =>
        value is ['/', ..] && !value.StartsWith("//", StringComparison.Ordinal) && !value.Contains('\\', StringComparison.Ordinal)
        && !value.Any(char.IsControl);
}
