namespace Billing.Application.Common.Exceptions;

/// <summary>A webhook delivery while no webhook signing secret is configured: the endpoint is off.</summary>
public sealed class StripeWebhooksDisabledException() : Exception("Stripe webhooks are off: no Stripe:WebhookSecrets are configured.");
