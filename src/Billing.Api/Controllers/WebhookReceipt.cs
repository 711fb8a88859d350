namespace Billing.Api.Controllers;

/// <summary>The answer to a stored webhook delivery.</summary>
/// <param name="Received">Always true: the event is stored.</param>
public sealed record WebhookReceipt(bool Received)
{
    public static WebhookReceipt Stored { get; } = new(true);
}
