using System.Text.Json;
using System.Text.Json.Serialization;
using Billing.Application.PortalSessions;
using Billing.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheckProperty = FsCheck.NUnit.PropertyAttribute;

namespace Billing.Tests.Reliability;

/// <summary>
/// Random strings and JSON thrown at the request validator and the return-URL rule. Whatever they generate, nothing
/// throws, and nothing that is accepted sends the user to an origin outside the allowlist.
/// </summary>
public sealed class ReturnUrlProperties
{
    private const string PublicUrl = "https://app.example.com";
    private const string PartnerOrigin = "https://partner.example.org";

    private static readonly ReturnUrlPolicy Policy = ApplicationFixtures.ReturnUrlPolicy(PublicUrl, "/settings/billing", PublicUrl, PartnerOrigin);
    private static readonly PortalSessionRequestValidator Validator = new(Policy);
    private static readonly HashSet<string> AllowedOrigins = new(StringComparer.OrdinalIgnoreCase) { PublicUrl, PartnerOrigin };

    // The API's own body rules: camelCase names, unknown members refused.
    private static readonly JsonSerializerOptions ApiJson = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    /// <summary>Fragments that open redirects are made of, so that random joins of them probe the dangerous space.</summary>
    private static readonly string[] UrlFragments =
    [
        "https://", "http://", "HTTPS://", "hTtPs:", "//", "/", "\\", "%2F", "%2f", "%5C", "%252F", "@", "%40", ":", ":443", ":8443",
        "?", "#", ".", "..", "app.example.com", "APP.EXAMPLE.COM", "partner.example.org", "evil.example", "app.example.com.evil.example",
        "localhost", "127.0.0.1", "[::1]", "javascript:", "data:", "\t", "\n", "\r", " ", "\u0000", "%00", "%0a", "。", "а", "settings",
        "billing", "%", "&", "=",
    ];

    private static readonly Gen<string> Fragments = Gen.Elements(UrlFragments).ListOf().Select(string.Concat);

    /// <summary>Scheme, user info, host, port and a tail, each drawn from what attackers combine.</summary>
    private static readonly Gen<string> UrlShaped =
        from scheme in Gen.Elements("https://", "http://", "HTTPS://", "//", "/", "", "https:", "https:/", "\\\\", "/\\", "/%2F/", " https://")
        from userInfo in Gen.Elements("", "", "app.example.com@", "user:pw@", "partner.example.org%40")
        from host in Gen.Elements("app.example.com", "partner.example.org", "evil.example", "app.example.com.evil.example", "localhost", "127.0.0.1", "APP.example.COM", "")
        from port in Gen.Elements("", "", ":443", ":8443", ":80")
        from tail in Fragments
        select scheme + userInfo + host + port + tail;

    private static readonly Gen<string> AnyString = Gen.Frequency(
        (3, UrlShaped), (1, Fragments), (1, ArbMap.Default.GeneratorFor<string>().Select(value => value ?? string.Empty)));

    [FsCheckProperty(MaxTest = 5000)]
    public Property IsAllowed_AnyString_NeverThrowsAndOnlyAcceptsAllowedOrigins() =>
        Prop.ForAll(AnyString.ToArbitrary(), candidate => !Policy.IsAllowed(candidate) || IsOnAllowedOrigin(Policy.Resolve(candidate)));

    [FsCheckProperty(MaxTest = 3000)]
    public Property Validate_AnyJsonBody_NeverThrowsAndOnlyAcceptsWhatIsSafeToSendToStripe() =>
        Prop.ForAll(JsonBodies().ToArbitrary(), body =>
        {
            PortalSessionRequest? request;
            try
            {
                request = JsonSerializer.Deserialize<PortalSessionRequest>(body, ApiJson);
            }
            catch (JsonException)
            {
                return true; // Malformed or unknown members: the API answers 400 before validation.
            }

            var result = Validator.Validate(request ?? PortalSessionRequest.Empty);
            return !result.IsValid
                || (IsOnAllowedOrigin(Policy.Resolve(request?.ReturnUrl))
                    && (request?.Flow is null || PortalFlows.TryParse(request.Flow, out _))
                    && (request?.Locale is null || PortalLocales.All.Contains(request.Locale)));
        });

    /// <summary>Objects with the real members (and sometimes others) holding URL-like or random strings, plus raw junk.</summary>
    private static Gen<string> JsonBodies()
    {
        var member = Gen.Elements("returnUrl", "ReturnUrl", "flow", "locale", "customer", "tenantId", "returnurl");
        var value = Gen.OneOf(
            AnyString.Select(text => JsonSerializer.Serialize(text)),
            Gen.Elements("null", "1", "true", "[]", "{}", "\"payment_method_update\"", "\"subscription_cancel\"", "\"fr\"", "\"auto\""));
        var pair = member.Zip(value).Select(kv => $"\"{kv.Item1}\":{kv.Item2}");
        var obj = pair.ListOf().Select(pairs => "{" + string.Join(",", pairs) + "}");
        return Gen.Frequency((8, obj), (1, AnyString));
    }

    private static bool IsOnAllowedOrigin(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && uri.UserInfo.Length == 0
        && AllowedOrigins.Contains(uri.GetLeftPart(UriPartial.Authority));
}
