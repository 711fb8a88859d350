using Billing.Application.Common.Configuration;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Stripe;

/// <summary>The rules of <see cref="StripeOptions"/>, checked at start-up.</summary>
public sealed class StripeOptionsValidator : IValidateOptions<StripeOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeOptions options) => new OptionsFailures()
        .Check(options.SecretKey.StartsWith("sk_", StringComparison.Ordinal) || options.SecretKey.StartsWith("rk_", StringComparison.Ordinal),
            "Stripe:SecretKey must be a Stripe secret (sk_...) or restricted (rk_...) key; set it through the environment variable Stripe__SecretKey.")
        .Check(options.ApiBase is null || Uri.TryCreate(options.ApiBase, UriKind.Absolute, out _),
            "Stripe:ApiBase must be an absolute URL, e.g. http://127.0.0.1:12111.")
        .Check(options.TimeoutSeconds is >= 1 and <= 120, "Stripe:TimeoutSeconds must be between 1 and 120.")
        .Check(options.MaxNetworkRetries is >= 0 and <= 5, "Stripe:MaxNetworkRetries must be between 0 and 5.")
        .Check(options.PortalConfigurationId is null || options.PortalConfigurationId.StartsWith("bpc_", StringComparison.Ordinal),
            "Stripe:PortalConfigurationId must be a billing portal configuration id (bpc_...).")
        .Check(options.WebhookSecrets.All(secret => secret.StartsWith("whsec_", StringComparison.Ordinal)),
            "Stripe:WebhookSecrets must hold webhook signing secrets (whsec_...); set them through environment variables such as Stripe__WebhookSecrets__0.")
        .Check(options.WebhookToleranceSeconds is >= 1 and <= 3600, "Stripe:WebhookToleranceSeconds must be between 1 and 3600.")
        .Check(options.WebhookMaxAttempts is >= 1 and <= 100, "Stripe:WebhookMaxAttempts must be between 1 and 100.")
        .Check(options.WebhookFirstRetrySeconds is >= 0 and <= 3600, "Stripe:WebhookFirstRetrySeconds must be between 0 and 3600.")
        .Check(options.WebhookRetentionDays is >= 1 and <= 3650, "Stripe:WebhookRetentionDays must be between 1 and 3650.")
        .Check(options.RateLimit.RequestsPerSecond is >= 0 and <= 10_000, "Stripe:RateLimit:RequestsPerSecond must be between 0 (off) and 10000.")
        .Check(options.RateLimit.BackgroundShare is > 0 and <= 1, "Stripe:RateLimit:BackgroundShare must be more than 0 and at most 1.")
        .Check(options.RateLimit.MaxWaitMilliseconds is >= 0 and <= 60_000, "Stripe:RateLimit:MaxWaitMilliseconds must be between 0 and 60000.")
        .ToResult();
}
