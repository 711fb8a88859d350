namespace Billing.Infrastructure.Stripe;

/// <summary>Stripe API settings (section <c>Stripe</c>).</summary>
public sealed class StripeOptions
{
    public const string SectionName = "Stripe";

    /// <summary>Secret (<c>sk_…</c>) or restricted (<c>rk_…</c>) API key. Comes from the environment or a secret store, never from a file in the repository.</summary>
    public string SecretKey { get; set; } = string.Empty;

    /// <summary>Overrides <c>https://api.stripe.com</c>, e.g. for stripe-mock or a test fake.</summary>
    public string? ApiBase { get; set; }

    /// <summary>The most a user waits for Stripe on one request, across the SDK's retries.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>How often the SDK retries a connection failure, 409 or 5xx (with the same idempotency key).</summary>
    public int MaxNetworkRetries { get; set; } = 2;

    /// <summary>The portal configuration (<c>bpc_…</c>) for every session, unless a tenant has its own; null uses the account's default.</summary>
    public string? PortalConfigurationId { get; set; }

    /// <summary>
    /// The signing secrets (<c>whsec_…</c>) of the webhook endpoint; several at once while a secret is rolled. None turns
    /// the webhook endpoint off.
    /// </summary>
    public string[] WebhookSecrets { get; set; } = [];

    /// <summary>How old (or how far ahead) a webhook's signed timestamp may be; older deliveries are refused as replays.</summary>
    public int WebhookToleranceSeconds { get; set; } = 300;

    /// <summary>Attempts to process one stored event before it is marked dead.</summary>
    public int WebhookMaxAttempts { get; set; } = 10;

    /// <summary>
    /// The wait before an event's first retry; each further retry waits twice as long, at most six hours. With the
    /// defaults, ten attempts span about four hours: an outage of Stripe or PostgreSQL that long loses no event.
    /// </summary>
    public int WebhookFirstRetrySeconds { get; set; } = 30;

    /// <summary>How long processed, ignored and dead events are kept in the inbox before they are deleted.</summary>
    public int WebhookRetentionDays { get; set; } = 30;

    /// <summary>The budget of Stripe calls all instances share.</summary>
    public StripeRateLimitOptions RateLimit { get; set; } = new();
}
