using System.Text;
using System.Text.Json;

namespace Billing.Application.StripeEvents;

/// <summary>Reads the parts of a Stripe event that every event has, without binding to an API version's shape.</summary>
public static class StripeEventEnvelope
{
    /// <returns>The event, or null when the body is not a JSON object with a string <c>id</c> and <c>type</c> and an object <c>data.object</c>.</returns>
    public static StripeEvent? TryRead(byte[] body, DateTimeOffset receivedAt)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !TryGetString(root, "id", out var id)
                || !TryGetString(root, "type", out var type)
                || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
                || !data.TryGetProperty("object", out var dataObject) || dataObject.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var created = root.TryGetProperty("created", out var createdValue) && createdValue.ValueKind == JsonValueKind.Number
                && createdValue.TryGetInt64(out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : receivedAt;
            return new StripeEvent(id, type, created, Encoding.UTF8.GetString(body));
        }
        catch (Exception exception) when (exception is JsonException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static bool TryGetString(JsonElement element, string name, out string value)
    {
        value = element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String ? property.GetString()! : string.Empty;
        return value.Length > 0;
    }
}
