namespace Billing.Application.StripeEvents;

/// <summary>Checks that a webhook delivery comes from Stripe, as Stripe documents it.</summary>
public interface IStripeWebhookVerifier
{
    /// <summary>Whether any signing secret is configured; without one the webhook endpoint is off.</summary>
    bool IsEnabled { get; }

    /// <summary>Whether <paramref name="signatureHeader"/> signs exactly these bytes with a configured secret, recently enough.</summary>
    bool IsAuthentic(ReadOnlySpan<byte> body, string? signatureHeader);
}
