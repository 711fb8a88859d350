using System.Diagnostics.Metrics;
using Billing.Application.Common.Metrics;
using Billing.Application.PortalAudit;
using Billing.Tests.Support;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Billing.Tests.Application.Common.Metrics;

public sealed class BillingMetricsTests
{
    private IMeterFactory meterFactory = null!;
    private BillingMetrics metrics = null!;
    private MetricCollector<double> stripeDurations = null!;

    [SetUp]
    public void SetUp()
    {
        meterFactory = ApplicationFixtures.MeterFactory();
        metrics = new BillingMetrics(meterFactory);
        stripeDurations = new MetricCollector<double>(meterFactory, BillingMetrics.MeterName, BillingMetrics.StripeRequestDurationName);
    }

    [TearDown]
    public void TearDown()
    {
        stripeDurations.Dispose();
        meterFactory.Dispose();
    }

    [Test]
    public void StripeRequestEnded_Succeeded_RecordsSecondsTaggedWithTheOperationOnly()
    {
        metrics.StripeRequestEnded("portal_session.create", TimeSpan.FromMilliseconds(250), errorType: null);

        var measurement = stripeDurations.GetMeasurementSnapshot().Single();
        Assert.Multiple(() =>
        {
            Assert.That(measurement.Value, Is.EqualTo(0.25));
            Assert.That(measurement.Tags, Is.EquivalentTo(new Dictionary<string, object?> { ["stripe.operation"] = "portal_session.create" }));
        });
    }

    [Test]
    public void StripeRequestEnded_Failed_RecordsSecondsTaggedWithTheOperationAndTheErrorType()
    {
        metrics.StripeRequestEnded("portal_session.create", TimeSpan.FromSeconds(10), "timeout");

        var measurement = stripeDurations.GetMeasurementSnapshot().Single();
        Assert.Multiple(() =>
        {
            Assert.That(measurement.Value, Is.EqualTo(10));
            Assert.That(measurement.Tags, Is.EquivalentTo(new Dictionary<string, object?>
            {
                ["stripe.operation"] = "portal_session.create",
                ["error.type"] = "timeout",
            }));
        });
    }

    [Test]
    public void RetentionDeleted_Rows_AddsThemTaggedWithTheTableOnly()
    {
        using var deleted = new MetricCollector<long>(meterFactory, BillingMetrics.MeterName, BillingMetrics.RetentionDeletedName);

        metrics.RetentionDeleted("billing_portal_audit", 1_000);

        var measurement = deleted.GetMeasurementSnapshot().Single();
        Assert.Multiple(() =>
        {
            Assert.That(measurement.Value, Is.EqualTo(1_000));
            Assert.That(measurement.Tags, Is.EquivalentTo(new Dictionary<string, object?> { ["table"] = "billing_portal_audit" }));
        });
    }

    [Test]
    public void Instruments_AsExported_CarryTheirUnitsAndADescription()
    {
        using var portalRequests = new MetricCollector<long>(meterFactory, BillingMetrics.MeterName, BillingMetrics.PortalRequestsName);

        var requests = portalRequests.Instrument!;
        var durations = stripeDurations.Instrument!;
        Assert.Multiple(() =>
        {
            Assert.That(requests.Unit, Is.EqualTo("{request}"));
            Assert.That(durations.Unit, Is.EqualTo("s"));
            Assert.That(requests.Description, Is.Not.Empty);
            Assert.That(durations.Description, Is.Not.Empty);
        });
    }

    [Test]
    public void StripeRequestDuration_BucketAdvice_RisesFromTensOfMillisecondsPastTheDefaultStripeTimeout()
    {
        var advice = ((Histogram<double>)stripeDurations.Instrument!).Advice;

        var boundaries = advice?.HistogramBucketBoundaries;
        Assert.That(boundaries, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(boundaries, Is.Ordered.And.Unique);
            Assert.That(boundaries![0], Is.LessThanOrEqualTo(0.05));
            Assert.That(boundaries[^1], Is.GreaterThan(10), "the default Stripe:TimeoutSeconds must fall inside a bucket");
        });
    }

    [Test]
    public void PortalRequestEnded_OutcomeAndAction_CountsOneTaggedWithBoth()
    {
        using var portalRequests = new MetricCollector<long>(meterFactory, BillingMetrics.MeterName, BillingMetrics.PortalRequestsName);

        metrics.PortalRequestEnded(PortalAuditOutcome.RateLimited, PortalAuditActions.Sync);

        var measurement = portalRequests.GetMeasurementSnapshot().Single();
        Assert.That((measurement.Value, measurement.Tags["outcome"], measurement.Tags["action"]), Is.EqualTo((1L, (object?)"rate_limited", (object?)"sync")));
    }

    [Test]
    public void StripeEventReceived_Type_CountsOneTaggedWithTypeAndResult()
    {
        using var received = new MetricCollector<long>(meterFactory, BillingMetrics.MeterName, BillingMetrics.StripeEventsReceivedName);

        metrics.StripeEventReceived("invoice.paid", "stored");

        var measurement = received.GetMeasurementSnapshot().Single();
        Assert.That((measurement.Value, measurement.Tags["event.type"], measurement.Tags["result"]),
            Is.EqualTo((1L, (object?)"invoice.paid", (object?)"stored")));
    }

    [Test]
    public void StripeEventReceived_NoType_TagsTheTypeUnknown()
    {
        using var received = new MetricCollector<long>(meterFactory, BillingMetrics.MeterName, BillingMetrics.StripeEventsReceivedName);

        metrics.StripeEventReceived(eventType: null, "invalid_signature");

        Assert.That(received.GetMeasurementSnapshot().Single().Tags["event.type"], Is.EqualTo("unknown"));
    }

    [Test]
    public void StripeEventProcessed_TypeAndResult_CountsOneTaggedWithBoth()
    {
        using var processed = new MetricCollector<long>(meterFactory, BillingMetrics.MeterName, BillingMetrics.StripeEventsProcessedName);

        metrics.StripeEventProcessed("customer.deleted", "ignored");

        var measurement = processed.GetMeasurementSnapshot().Single();
        Assert.Multiple(() =>
        {
            Assert.That(measurement.Value, Is.EqualTo(1));
            Assert.That(measurement.Tags, Is.EquivalentTo(new Dictionary<string, object?> { ["event.type"] = "customer.deleted", ["result"] = "ignored" }));
        });
    }

    [Test]
    public void OldestPendingStripeEvent_Age_IsReadAsSecondsWhenCollected()
    {
        using var oldestPending = new MetricCollector<double>(meterFactory, BillingMetrics.MeterName, BillingMetrics.StripeEventsOldestPendingAgeName);

        metrics.OldestPendingStripeEvent(TimeSpan.FromMilliseconds(90_500));
        oldestPending.RecordObservableInstruments();

        Assert.That(oldestPending.LastMeasurement?.Value, Is.EqualTo(90.5));
    }

    [Test]
    public void OldestPendingStripeEvent_NegativeAge_IsReadAsZero()
    {
        using var oldestPending = new MetricCollector<double>(meterFactory, BillingMetrics.MeterName, BillingMetrics.StripeEventsOldestPendingAgeName);

        metrics.OldestPendingStripeEvent(TimeSpan.FromSeconds(-3));
        oldestPending.RecordObservableInstruments();

        Assert.That(oldestPending.LastMeasurement?.Value, Is.Zero);
    }

    [Test]
    public void OldestPendingStripeEvent_Updated_IsReadAsTheLatestAge()
    {
        using var oldestPending = new MetricCollector<double>(meterFactory, BillingMetrics.MeterName, BillingMetrics.StripeEventsOldestPendingAgeName);

        metrics.OldestPendingStripeEvent(TimeSpan.FromSeconds(30));
        metrics.OldestPendingStripeEvent(TimeSpan.Zero);
        oldestPending.RecordObservableInstruments();

        Assert.That(oldestPending.LastMeasurement?.Value, Is.Zero);
    }

    [Test]
    public void StripeEventInstruments_AsExported_CarryTheirUnitsAndADescription()
    {
        using var received = new MetricCollector<long>(meterFactory, BillingMetrics.MeterName, BillingMetrics.StripeEventsReceivedName);
        using var processed = new MetricCollector<long>(meterFactory, BillingMetrics.MeterName, BillingMetrics.StripeEventsProcessedName);
        using var oldestPending = new MetricCollector<double>(meterFactory, BillingMetrics.MeterName, BillingMetrics.StripeEventsOldestPendingAgeName);

        var instruments = new[] { received.Instrument!, processed.Instrument!, oldestPending.Instrument! };
        Assert.Multiple(() =>
        {
            Assert.That(instruments.Select(instrument => instrument.Unit), Is.EqualTo(new[] { "{event}", "{event}", "s" }));
            Assert.That(instruments.Select(instrument => instrument.Description), Has.All.Not.Empty);
        });
    }
}
