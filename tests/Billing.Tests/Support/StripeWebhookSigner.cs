using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Billing.Tests.Support;

/// <summary>
/// Builds Stripe event bodies and signs them exactly as Stripe does: <c>Stripe-Signature: t={unix},v1={hex}</c>,
/// where hex is HMAC-SHA256 of <c>{t}.{raw body}</c> keyed with the whole <c>whsec_…</c> secret.
/// </summary>
internal static class StripeWebhookSigner
{
    public const string WebhookPath = "/api/stripe/webhooks";
    public const string SignatureHeader = "Stripe-Signature";

    /// <summary>The API version Stripe.net 53 speaks, which an endpoint created for it receives.</summary>
    public const string ApiVersion = "2026-10-28.endive";

    public static string NewEventId() => $"evt_test_{Guid.NewGuid():N}";

    /// <summary>An event as Stripe sends it; <paramref name="dataObject"/> becomes <c>data.object</c>.</summary>
    public static string Event(string type, object dataObject, string? id = null, DateTimeOffset? created = null, string apiVersion = ApiVersion) =>
        JsonSerializer.Serialize(new
        {
            id = id ?? NewEventId(),
            @object = "event",
            api_version = apiVersion,
            created = (created ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
            data = new { @object = dataObject },
            livemode = false,
            pending_webhooks = 1,
            request = new { id = (string?)null, idempotency_key = (string?)null },
            type,
        });

    /// <summary>A subscription event's <c>data.object</c>: what it says besides the customer is never the truth the API should store.</summary>
    public static object Subscription(string customerId, string subscriptionId = "sub_from_the_event", string status = "incomplete") => new
    {
        id = subscriptionId,
        @object = "subscription",
        customer = customerId,
        status,
        cancel_at_period_end = false,
        items = new { @object = "list", data = Array.Empty<object>(), has_more = false },
    };

    /// <summary>A completed Checkout Session for the customer, naming a tenant in <c>client_reference_id</c> or in <c>metadata.tenant_id</c>.</summary>
    public static object CheckoutSession(string customerId, string? clientReferenceId, string? metadataTenantId = null) => new
    {
        id = $"cs_test_{Guid.NewGuid():N}",
        @object = "checkout.session",
        customer = customerId,
        client_reference_id = clientReferenceId,
        metadata = metadataTenantId is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["tenant_id"] = metadataTenantId },
        mode = "subscription",
        status = "complete",
    };

    /// <summary>The <c>data.object</c> of <c>customer.deleted</c>.</summary>
    public static object DeletedCustomer(string customerId) => new { id = customerId, @object = "customer", deleted = true };

    /// <summary>The header value for <paramref name="body"/> signed with <paramref name="secret"/> at <paramref name="timestamp"/> (now by default).</summary>
    public static string Sign(string body, string secret, DateTimeOffset? timestamp = null)
    {
        var t = UnixTime(timestamp ?? DateTimeOffset.UtcNow);
        return $"t={t},v1={V1(body, secret, t)}";
    }

    /// <summary>The <c>v1</c> signature of <paramref name="body"/> at unix time <paramref name="t"/>.</summary>
    public static string V1(string body, string secret, string t) => Hmac(secret, $"{t}.{body}");

    public static string UnixTime(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>A POST of <paramref name="body"/> to the webhook endpoint, with <paramref name="signature"/> as the header unless null.</summary>
    public static HttpRequestMessage Request(string body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, WebhookPath)
        {
            Content = new StringContent(body, new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" }),
        };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(SignatureHeader, signature);
        }

        return request;
    }

    /// <summary>Hex HMAC-SHA256 of <paramref name="payload"/> keyed with the secret's UTF-8 bytes, as Stripe computes <c>v1</c> over <c>{t}.{body}</c>.</summary>
    public static string Hmac(string secret, string payload) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload)));
}
