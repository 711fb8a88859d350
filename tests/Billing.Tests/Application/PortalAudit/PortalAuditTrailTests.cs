using Billing.Application.Common.Metrics;
using Billing.Application.PortalAudit;
using Billing.Domain.Tenants;
using Billing.Tests.Support;
using FluentValidation;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Billing.Tests.Application.PortalAudit;

public sealed class PortalAuditTrailTests
{
    private static readonly TenantId Tenant = new(Guid.Parse("5a1c3f0e-8b2d-4e6f-9a7b-1c2d3e4f5a6b"));

    [Test]
    public async Task RecordAsync_RowWritten_CountsOneRequestWithItsOutcome()
    {
        var meterFactory = ApplicationFixtures.MeterFactory();
        using var requests = new MetricCollector<long>(meterFactory, BillingMetrics.MeterName, BillingMetrics.PortalRequestsName);
        var trail = ApplicationFixtures.AuditTrail(ApplicationFixtures.CurrentTenant(Tenant), new RecordingAuditRepository(), meterFactory);

        await trail.RecordAsync(PortalAuditOutcome.NoSubscription, PortalAuditDetails.None, CancellationToken.None);

        var measurement = requests.GetMeasurementSnapshot().Single();
        Assert.Multiple(() =>
        {
            Assert.That(measurement.Value, Is.EqualTo(1));
            Assert.That(measurement.Tags, Is.EquivalentTo(new Dictionary<string, object?> { ["outcome"] = "no_subscription", ["action"] = "portal" }));
        });
    }

    [Test]
    public async Task RecordAsync_RowCannotBeWritten_CountsNothing()
    {
        var meterFactory = ApplicationFixtures.MeterFactory();
        using var requests = new MetricCollector<long>(meterFactory, BillingMetrics.MeterName, BillingMetrics.PortalRequestsName);
        var repository = new RecordingAuditRepository { FailWith = new InvalidOperationException("database down") };
        var trail = ApplicationFixtures.AuditTrail(ApplicationFixtures.CurrentTenant(Tenant), repository, meterFactory);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => trail.RecordAsync(PortalAuditOutcome.Created, PortalAuditDetails.None, CancellationToken.None));

        Assert.That(requests.GetMeasurementSnapshot(), Is.Empty);
    }

    [Test]
    public async Task RecordAsync_NoTenant_NeitherWritesNorCounts()
    {
        var meterFactory = ApplicationFixtures.MeterFactory();
        using var requests = new MetricCollector<long>(meterFactory, BillingMetrics.MeterName, BillingMetrics.PortalRequestsName);
        var repository = new RecordingAuditRepository();
        var trail = ApplicationFixtures.AuditTrail(ApplicationFixtures.CurrentTenant(null), repository, meterFactory);

        await trail.RecordAsync(PortalAuditOutcome.InvalidRequest, PortalAuditDetails.None, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(repository.Entries, Is.Empty);
            Assert.That(requests.GetMeasurementSnapshot(), Is.Empty);
        });
    }

    [Test]
    public async Task RecordAsync_NulCharacterInWhatWasAskedFor_StoresItAsReplacementCharacter()
    {
        var repository = new RecordingAuditRepository();
        var trail = ApplicationFixtures.AuditTrail(ApplicationFixtures.CurrentTenant(Tenant), repository, ApplicationFixtures.MeterFactory());

        await trail.RecordAsync(
            PortalAuditOutcome.InvalidRequest, new PortalAuditDetails(Flow: "a\0b", Locale: "fr\0", ReturnUrl: "/x\0"), CancellationToken.None);

        var details = repository.Entries.Single().Details;
        Assert.That(new[] { details.Flow, details.Locale, details.ReturnUrl }, Is.EqualTo(new[] { "a\uFFFDb", "fr\uFFFD", "/x\uFFFD" }));
    }

    [TestCase(0)]
    [TestCase(PortalAuditQuery.MaxLimit + 1)]
    public async Task ReadAsync_LimitOutOfRange_ThrowsValidationNamingLimitWithoutReadingTheTrail(int limit)
    {
        // The recording repository cannot list: reaching it would fail with NotSupportedException instead.
        var trail = ApplicationFixtures.AuditTrail(ApplicationFixtures.CurrentTenant(Tenant), new RecordingAuditRepository());

        var exception = await Assert.ThrowsAsync<ValidationException>(
            () => trail.ReadAsync(new PortalAuditQuery(Limit: limit), CancellationToken.None));

        Assert.That(exception.Errors.Select(error => error.PropertyName), Is.EqualTo(new[] { "limit" }));
    }

    [Test]
    public async Task ReadAsync_CursorNotIssuedByTheTrail_ThrowsValidationNamingBefore()
    {
        var trail = ApplicationFixtures.AuditTrail(ApplicationFixtures.CurrentTenant(Tenant), new RecordingAuditRepository());

        var exception = await Assert.ThrowsAsync<ValidationException>(
            () => trail.ReadAsync(new PortalAuditQuery(Before: "not-a-cursor"), CancellationToken.None));

        Assert.That(exception.Errors.Select(error => error.PropertyName), Is.EqualTo(new[] { "before" }));
    }
}
