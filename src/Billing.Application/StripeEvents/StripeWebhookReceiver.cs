using Billing.Application.Common.Exceptions;
using Billing.Application.Common.Metrics;

namespace Billing.Application.StripeEvents;

/// <summary>Takes a webhook delivery: verifies it, and stores the event durably before the caller may answer 200.</summary>
public sealed class StripeWebhookReceiver(
    IStripeWebhookVerifier verifier, IStripeEventInbox inbox, StripeEventArrivals arrivals, BillingMetrics metrics, TimeProvider time)
{
    /// <exception cref="StripeWebhooksDisabledException">No signing secret is configured.</exception>
    /// <exception cref="InvalidStripeSignatureException">The signature does not verify; nothing is stored.</exception>
    /// <exception cref="InvalidStripeEventException">Signed, but not an event; nothing is stored.</exception>
    public async Task ReceiveAsync(byte[] body, string? signatureHeader, CancellationToken cancellationToken)
    {
        if (!verifier.IsEnabled)
        {
            throw new StripeWebhooksDisabledException();
        }

        // The bytes as received, before anything parses them.
        if (!verifier.IsAuthentic(body, signatureHeader))
        {
            metrics.StripeEventReceived(eventType: null, "invalid_signature");
            throw new InvalidStripeSignatureException();
        }

        if (StripeEventEnvelope.TryRead(body, time.GetUtcNow()) is not { } stripeEvent)
        {
            metrics.StripeEventReceived(eventType: null, "invalid_event");
            throw new InvalidStripeEventException();
        }

        var isNew = await inbox.AddAsync(stripeEvent, cancellationToken);
        metrics.StripeEventReceived(stripeEvent.Type, isNew ? "stored" : "duplicate");
        if (isNew)
        {
            arrivals.Notify();
        }
    }
}
