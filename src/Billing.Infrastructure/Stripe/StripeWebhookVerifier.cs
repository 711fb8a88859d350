using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Billing.Application.StripeEvents;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// Verifies <c>Stripe-Signature: t=…,v1=…</c> as Stripe documents it: an HMAC-SHA256, keyed with a webhook secret, of
/// <c>{t}.{raw body}</c>. It works on the bytes as received (Stripe.net's EventUtility takes a string, re-encoded
/// before hashing), accepts any of several secrets while one is rolled, and never parses the body, so no API-version
/// difference of the payload can refuse a genuine event.
/// </summary>
internal sealed class StripeWebhookVerifier(IOptions<StripeOptions> options, TimeProvider time) : IStripeWebhookVerifier
{
    private readonly byte[][] secrets = options.Value.WebhookSecrets.Select(Encoding.UTF8.GetBytes).ToArray();
    private readonly long toleranceSeconds = options.Value.WebhookToleranceSeconds;

    public bool IsEnabled => secrets.Length > 0;

    public bool IsAuthentic(ReadOnlySpan<byte> body, string? signatureHeader)
    {
        if (signatureHeader is null || !TryReadHeader(signatureHeader, out var timestamp, out var signatures)
            || Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - timestamp) > toleranceSeconds)
        {
            return false;
        }

        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        foreach (var secret in secrets)
        {
            var expected = HMACSHA256.HashData(secret, signed);
            if (signatures.Any(signature => CryptographicOperations.FixedTimeEquals(expected, signature)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads <c>t</c> and every <c>v1</c>; other schemes (<c>v0</c>, test-only) are not trusted.</summary>
    private static bool TryReadHeader(string header, out long timestamp, out List<byte[]> signatures)
    {
        timestamp = 0;
        signatures = [];
        var hasTimestamp = false;
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                continue;
            }

            var (key, value) = (part[..separator], part[(separator + 1)..]);
            if (key == "t")
            {
                hasTimestamp = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out timestamp);
            }
            else if (key == "v1" && value.Length == 64 && TryFromHex(value, out var signature))
            {
                signatures.Add(signature);
            }
        }

        return hasTimestamp && signatures.Count > 0;
    }

    private static bool TryFromHex(string hex, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
