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

    private readonly Counter<long> portalRequests;
    private readonly Histogram<double> stripeRequestDuration;

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
    }

    /// <summary>Counts a request whose audit row was written, tagged <c>outcome</c> as in the audit trail.</summary>
    public void PortalRequestEnded(PortalAuditOutcome outcome) =>
        portalRequests.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToWireName()));

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
