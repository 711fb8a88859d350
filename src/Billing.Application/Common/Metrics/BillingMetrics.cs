using System.Diagnostics.Metrics;
using Billing.Application.PortalAudit;

namespace Billing.Application.Common.Metrics;

/// <summary>
/// The service's own instruments, on one meter that the Api exports. Tags are a handful of fixed values: never a
/// tenant, customer or user id, which would make every series unbounded and leak who uses the service.
/// </summary>
public sealed class BillingMetrics
{
    public const string MeterName = "Billing";
    public const string PortalRequestsName = "billing.portal.requests";
    public const string StripeRequestDurationName = "billing.stripe.request.duration";
    public const string StripeEventsReceivedName = "billing.stripe.events.received";
    public const string StripeEventsProcessedName = "billing.stripe.events.processed";
    public const string StripeEventsOldestPendingAgeName = "billing.stripe.events.oldest_pending_age";
    public const string StripeBudgetWaitName = "billing.stripe.budget.wait";
    public const string StripeBudgetRefusedName = "billing.stripe.budget.refused";
    public const string StripeBudgetMissedName = "billing.stripe.budget.missed";
    public const string StripeThrottledName = "billing.stripe.throttled";
    public const string RetentionDeletedName = "billing.retention.deleted";

    private readonly Counter<long> portalRequests;
    private readonly Histogram<double> stripeRequestDuration;
    private readonly Counter<long> stripeEventsReceived;
    private readonly Counter<long> stripeEventsProcessed;
    private readonly Histogram<double> stripeBudgetWait;
    private readonly Counter<long> stripeBudgetRefused;
    private readonly Counter<long> stripeBudgetMissed;
    private readonly Counter<long> stripeThrottled;
    private readonly Counter<long> retentionDeleted;

    // Set by the event worker each time it looks at the inbox; read whenever the metrics are collected.
    private double oldestPendingEventAgeSeconds;

    public BillingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        portalRequests = meter.CreateCounter<long>(
            PortalRequestsName, unit: "{request}", description: "Portal session requests by how they ended; one per audit row.");
        stripeRequestDuration = meter.CreateHistogram(
            StripeRequestDurationName,
            unit: "s",
            description: "Time spent on one Stripe API call, retries included.",
            advice: new InstrumentAdvice<double>
            {
                // Stripe usually answers in a few hundred milliseconds; the top buckets show calls near the timeout.
                HistogramBucketBoundaries = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10, 15, 30],
            });
        stripeEventsReceived = meter.CreateCounter<long>(
            StripeEventsReceivedName, unit: "{event}", description: "Webhook deliveries by event type and result.");
        stripeEventsProcessed = meter.CreateCounter<long>(
            StripeEventsProcessedName, unit: "{event}", description: "Attempts to process a stored event, by event type and result.");
        stripeBudgetWait = meter.CreateHistogram(
            StripeBudgetWaitName,
            unit: "s",
            description: "How long a Stripe call waited for its turn in the budget all instances share, by priority.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5] });
        stripeBudgetRefused = meter.CreateCounter<long>(
            StripeBudgetRefusedName, unit: "{call}", description: "Users' Stripe calls refused (503) because the shared budget was spent.");
        stripeBudgetMissed = meter.CreateCounter<long>(
            StripeBudgetMissedName, unit: "{call}", description: "Stripe calls that were late for their turn and took another, by priority.");
        stripeThrottled = meter.CreateCounter<long>(
            StripeThrottledName, unit: "{event}", description: "Times Stripe answered 429 and every instance halved its rate.");
        retentionDeleted = meter.CreateCounter<long>(
            RetentionDeletedName, unit: "{row}", description: "Rows deleted because they outlived their retention, by table.");
        meter.CreateObservableGauge(
            StripeEventsOldestPendingAgeName,
            () => Volatile.Read(ref oldestPendingEventAgeSeconds),
            unit: "s",
            description: "Age of the oldest stored event not yet processed; 0 when none waits.");
    }

    /// <summary>Counts a webhook delivery; <paramref name="eventType"/> is null when the delivery was not a verified event.</summary>
    public void StripeEventReceived(string? eventType, string result) => stripeEventsReceived.Add(
        1, new KeyValuePair<string, object?>("event.type", eventType ?? "unknown"), new KeyValuePair<string, object?>("result", result));

    /// <summary>Counts one attempt to process a stored event: <c>processed</c>, <c>ignored</c>, <c>retried</c> or <c>dead</c>.</summary>
    public void StripeEventProcessed(string eventType, string result) => stripeEventsProcessed.Add(
        1, new KeyValuePair<string, object?>("event.type", eventType), new KeyValuePair<string, object?>("result", result));

    /// <summary>Records the wait of a Stripe call for its turn; <paramref name="priority"/> is <c>interactive</c> or <c>background</c>.</summary>
    public void StripeBudgetWaited(string priority, TimeSpan wait) =>
        stripeBudgetWait.Record(wait.TotalSeconds, new KeyValuePair<string, object?>("priority", priority));

    public void StripeBudgetRefused() => stripeBudgetRefused.Add(1);

    public void StripeBudgetMissed(string priority) => stripeBudgetMissed.Add(1, new KeyValuePair<string, object?>("priority", priority));

    public void StripeThrottled() => stripeThrottled.Add(1);
    /// <summary>Counts rows retention deleted from <paramref name="table"/>: <c>billing_portal_audit</c> or <c>stripe_event</c>.</summary>
    public void RetentionDeleted(string table, long rows) => retentionDeleted.Add(rows, new KeyValuePair<string, object?>("table", table));

    public void OldestPendingStripeEvent(TimeSpan age) => Volatile.Write(ref oldestPendingEventAgeSeconds, Math.Max(0, age.TotalSeconds));

    /// <summary>Counts a request whose audit row was written, tagged <c>outcome</c> and <c>action</c> as in the audit trail.</summary>
    public void PortalRequestEnded(PortalAuditOutcome outcome, string action) =>
        portalRequests.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToWireName()), new KeyValuePair<string, object?>("action", action));

    /// <summary>Records one Stripe call; <paramref name="errorType"/> is null on success, and then no <c>error.type</c> tag is set.</summary>
    public void StripeRequestEnded(string operation, TimeSpan duration, string? errorType)
    {
        var operationTag = new KeyValuePair<string, object?>("stripe.operation", operation);
        if (errorType is null)
        {
            stripeRequestDuration.Record(duration.TotalSeconds, operationTag);
        }
        else
        {
            stripeRequestDuration.Record(duration.TotalSeconds, operationTag, new KeyValuePair<string, object?>("error.type", errorType));
        }
    }
}
