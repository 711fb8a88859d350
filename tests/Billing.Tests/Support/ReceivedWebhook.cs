using System.Text.Json;

namespace Billing.Tests.Support;

/// <summary>One delivery a <see cref="WebhookReceiver"/> took: the exact bytes and headers, and what it answered.</summary>
internal sealed record ReceivedWebhook(string? Signature, string? ContentType, byte[] Body, int AnsweredStatus)
{
    public string EventId => Property("id");

    public string Type => Property("type");

    private string Property(string name)
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.GetProperty(name).GetString()!;
    }
}
