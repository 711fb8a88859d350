namespace StripeEmulator.Webhooks;

/// <summary>An event waiting to be delivered: its id and type (for the log) and the exact bytes that get signed and sent.</summary>
internal sealed record WebhookEvent(string Id, string Type, byte[] Body);
