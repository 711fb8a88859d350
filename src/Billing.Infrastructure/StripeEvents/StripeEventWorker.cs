using Billing.Application.Common.Metrics;
using Billing.Application.StripeEvents;
using Billing.Domain.Tenants;
using Billing.Infrastructure.Stripe;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.StripeEvents;

/// <summary>
/// Processes the inbox's events on every instance: one at a time per instance, each claimed by one instance only. A
/// failed attempt is retried with a doubling delay; after <c>Stripe:WebhookMaxAttempts</c> the event is dead.
/// </summary>
internal sealed partial class StripeEventWorker(
    IStripeEventInbox inbox,
    StripeEventProcessor processor,
    StripeEventArrivals arrivals,
    BillingMetrics metrics,
    TimeProvider time,
    IOptions<StripeOptions> options,
    ILogger<StripeEventWorker> logger) : BackgroundService
{
    // Events stored by other instances are found at the latest after this long.
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    // While the inbox cannot be read, polls back off to this.
    private static readonly TimeSpan MaxPollInterval = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(6);

    private readonly int maxAttempts = options.Value.WebhookMaxAttempts;

    // Longer than an attempt can take (Stripe's deadline, then a few statements), so that no two instances work on one
    // event; an instance that dies leaves its event to another after this long. The inbox also writes an outcome only
    // for the attempt that holds the event.
    private readonly TimeSpan lease = TimeSpan.FromSeconds(options.Value.TimeoutSeconds) + TimeSpan.FromMinutes(1);
    private readonly TimeSpan firstRetryDelay = TimeSpan.FromSeconds(options.Value.WebhookFirstRetrySeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.WebhookSecrets.Length == 0)
        {
            LogWebhooksOff(logger);
        }

        var pollInterval = PollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await inbox.ClaimNextAsync(lease, stoppingToken) is { } stored)
                {
                    await HandleAsync(stored, stoppingToken);
                }

                var oldest = await inbox.OldestPendingAsync(stoppingToken);
                metrics.OldestPendingStripeEvent(oldest is { } receivedAt ? time.GetUtcNow() - receivedAt : TimeSpan.Zero);
                pollInterval = PollInterval;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // PostgreSQL unreachable, most likely: what is stored stays stored, and a later poll tries again.
                pollInterval = TimeSpan.FromTicks(Math.Min(pollInterval.Ticks * 2, MaxPollInterval.Ticks));
                LogInboxUnavailable(logger, exception, pollInterval.TotalSeconds);
            }

            await arrivals.WaitAsync(pollInterval, stoppingToken);
        }
    }

    private async Task HandleAsync(StoredStripeEvent stored, CancellationToken stoppingToken)
    {
        var stripeEvent = stored.Event;
        StripeEventOutcome outcome;
        try
        {
            // Syncs yield Stripe's budget to users' calls.
            using (StripeCallPriority.Background())
            {
                outcome = await processor.ProcessAsync(stripeEvent, stoppingToken);
            }
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            var error = $"{exception.GetType().Name}: {exception.Message}";
            if (stored.Attempts >= maxAttempts)
            {
                await inbox.MarkDeadAsync(stored, error, stoppingToken);
                metrics.StripeEventProcessed(stripeEvent.Type, "dead");
                LogDead(logger, exception, stripeEvent.Id, stripeEvent.Type, stored.Attempts);
                return;
            }

            var delay = RetryDelay(stored.Attempts);
            await inbox.RetryLaterAsync(stored, error, time.GetUtcNow() + delay, stoppingToken);
            metrics.StripeEventProcessed(stripeEvent.Type, "retried");
            LogRetry(logger, exception, stripeEvent.Id, stripeEvent.Type, stored.Attempts, delay.TotalSeconds);
            return;
        }

        await inbox.CompleteAsync(stored, outcome.Ignored, outcome.Note, stoppingToken);
        if (outcome.Ignored)
        {
            metrics.StripeEventProcessed(stripeEvent.Type, "ignored");
            LogIgnored(logger, stripeEvent.Id, stripeEvent.Type, outcome.Note);
        }
        else
        {
            metrics.StripeEventProcessed(stripeEvent.Type, "processed");
            LogProcessed(logger, stripeEvent.Id, stripeEvent.Type, outcome.TenantId);
        }
    }

    private TimeSpan RetryDelay(int attempts) =>
        TimeSpan.FromTicks(Math.Min(firstRetryDelay.Ticks * (1L << Math.Min(attempts - 1, 30)), MaxRetryDelay.Ticks));

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe event {EventId} ({EventType}) processed for tenant {TenantId}")]
    private static partial void LogProcessed(ILogger logger, string eventId, string eventType, TenantId? tenantId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe event {EventId} ({EventType}) ignored: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string eventId, string eventType, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe event {EventId} ({EventType}) failed on attempt {Attempts}; retrying in {RetrySeconds} s")]
    private static partial void LogRetry(ILogger logger, Exception exception, string eventId, string eventType, int attempts, double retrySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stripe event {EventId} ({EventType}) failed {Attempts} times and is dead; it stays in stripe_event for a person to look at")]
    private static partial void LogDead(ILogger logger, Exception exception, string eventId, string eventType, int attempts);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Stripe webhooks are off: no Stripe:WebhookSecrets are configured, so POST /api/stripe/webhooks answers 404 and subscription state changes only through POST /api/subscriptions/sync")]
    private static partial void LogWebhooksOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Stripe event inbox could not be read; trying again in {RetrySeconds} s")]
    private static partial void LogInboxUnavailable(ILogger logger, Exception exception, double retrySeconds);
}
