using Billing.Application.Common.Exceptions;
using Billing.Application.Common.Interfaces;
using Billing.Application.Common.Metrics;
using Billing.Application.PortalAudit;
using Billing.Domain.Tenants;
using Billing.Tests.Support;
using FluentValidation;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Moq;

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

    [Test]
    public async Task RecordAsync_CallerKnown_StoresWhoAskedFromWhereAndTheTraceId()
    {
        var repository = new RecordingAuditRepository();
        var context = AuditContext(userAgent: "Mozilla/5.0");
        var trail = ApplicationFixtures.AuditTrail(ApplicationFixtures.CurrentTenant(Tenant), repository, auditContext: context);

        await trail.RecordAsync(PortalAuditOutcome.Created, PortalAuditDetails.None, CancellationToken.None);

        var entry = repository.Entries.Single();
        Assert.That(new[] { entry.UserId, entry.ClientIp, entry.UserAgent, entry.TraceId },
            Is.EqualTo(new[] { "user-1", "203.0.113.7", "Mozilla/5.0", "0af7651916cd43dd8448eb211c80319c" }));
    }

    [TestCase(255, 255)]
    [TestCase(256, 256)]
    [TestCase(257, 256)]
    public async Task RecordAsync_UserAgentOfLength_StoresAtMost256Characters(int length, int expectedLength)
    {
        var userAgent = LongText(length);
        var entry = await RecordOneAsync(AuditContext(userAgent: userAgent), PortalAuditDetails.None);

        Assert.That(entry.UserAgent, Is.EqualTo(userAgent[..expectedLength]));
    }

    [TestCase(2047, 2047)]
    [TestCase(2048, 2048)]
    [TestCase(2049, 2048)]
    public async Task RecordAsync_ReturnUrlOfLength_StoresAtMost2048Characters(int length, int expectedLength)
    {
        var returnUrl = "/" + LongText(length - 1);
        var entry = await RecordOneAsync(AuditContext(), new PortalAuditDetails(ReturnUrl: returnUrl));

        Assert.That(entry.Details.ReturnUrl, Is.EqualTo(returnUrl[..expectedLength]));
    }

    [Test]
    public async Task RecordAsync_RowWritten_LogsTheOutcomeByItsWireName()
    {
        var logger = new FakeLogger<PortalAuditTrail>();
        var trail = ApplicationFixtures.AuditTrail(ApplicationFixtures.CurrentTenant(Tenant), new RecordingAuditRepository(), logger: logger);

        await trail.RecordAsync(PortalAuditOutcome.StripeError, PortalAuditDetails.None, CancellationToken.None);

        Assert.That((logger.LatestRecord.Level, logger.LatestRecord.Message), Is.EqualTo((LogLevel.Information, "Portal request ended: stripe_error")));
    }

    [Test]
    public async Task RecordAsync_RowWritten_RemembersTheOutcomeForTheRestOfTheRequest()
    {
        var trail = ApplicationFixtures.AuditTrail(ApplicationFixtures.CurrentTenant(Tenant), new RecordingAuditRepository());

        await trail.RecordAsync(PortalAuditOutcome.Abandoned, PortalAuditDetails.None, CancellationToken.None);

        Assert.That(trail.RecordedOutcome, Is.EqualTo(PortalAuditOutcome.Abandoned));
    }

    [Test]
    public async Task ReadAsync_TenantHasExactlyLimitRows_ReturnsThemAllWithoutANextCursor()
    {
        var (rows, page) = await ReadThreeAsync(rowsFound: 3);

        Assert.That((page.Items, page.NextCursor), Is.EqualTo((rows, (string?)null)));
    }

    [Test]
    public async Task ReadAsync_TenantHasMoreThanLimitRows_ReturnsLimitRowsAndACursorAtTheLastOneShown()
    {
        var (rows, page) = await ReadThreeAsync(rowsFound: 4);

        Assert.Multiple(() =>
        {
            Assert.That(page.Items, Is.EqualTo(rows.Take(3)));
            Assert.That(page.NextCursor, Is.EqualTo(new PortalAuditCursor(rows[2].OccurredAt, rows[2].Id).Encode()));
        });
    }

    [Test]
    public async Task ReadAsync_NextCursorGiven_AsksForTheRowsBeforeThatPosition()
    {
        var position = new PortalAuditCursor(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero), 17);
        var rows = Rows(1);
        var repository = ListingRepository(limitAskedFor: 2, before: position, rows);

        var page = await ReadAsync(repository, new PortalAuditQuery(Limit: 1, Before: position.Encode()));

        Assert.That(page.Items, Is.EqualTo(rows));
    }

    [Test]
    public async Task ReadAsync_NoTenant_ThrowsTenantContextMissing()
    {
        var trail = ApplicationFixtures.AuditTrail(ApplicationFixtures.CurrentTenant(null), Mock.Of<IPortalAuditRepository>(MockBehavior.Strict));

        await Assert.ThrowsAsync<TenantContextMissingException>(() => trail.ReadAsync(new PortalAuditQuery(), CancellationToken.None));
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

    private static IAuditContext AuditContext(string? userAgent = null) => Mock.Of<IAuditContext>(context =>
        context.UserId == "user-1" && context.ClientIp == "203.0.113.7" && context.UserAgent == userAgent
        && context.TraceId == "0af7651916cd43dd8448eb211c80319c");

    private static string LongText(int length) => string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + (i % 26))));

    private static async Task<PortalAuditEntry> RecordOneAsync(IAuditContext context, PortalAuditDetails details)
    {
        var repository = new RecordingAuditRepository();
        var trail = ApplicationFixtures.AuditTrail(ApplicationFixtures.CurrentTenant(Tenant), repository, auditContext: context);
        await trail.RecordAsync(PortalAuditOutcome.InvalidRequest, details, CancellationToken.None);
        return repository.Entries.Single();
    }

    /// <summary>Newest first, as the repository returns them.</summary>
    private static PortalAuditRecord[] Rows(int count) =>
        Enumerable.Range(0, count)
            .Select(i => new PortalAuditRecord(
                100 - i, new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero).AddMinutes(-i), "user-1", "created",
                null, null, null, null, null, null, null, null, null, null))
            .ToArray();

    /// <summary>A repository that answers only the one listing the trail should ask for.</summary>
    private static IPortalAuditRepository ListingRepository(int limitAskedFor, PortalAuditCursor? before, PortalAuditRecord[] rows)
    {
        var repository = new Mock<IPortalAuditRepository>(MockBehavior.Strict);
        repository.Setup(r => r.ListAsync(Tenant, limitAskedFor, before, It.IsAny<CancellationToken>())).ReturnsAsync(rows);
        return repository.Object;
    }

    /// <summary>Reads a page of three from a trail whose repository has <paramref name="rowsFound"/> rows for the four it is asked for.</summary>
    private static async Task<(PortalAuditRecord[] Rows, PortalAuditPage Page)> ReadThreeAsync(int rowsFound)
    {
        var rows = Rows(rowsFound);
        var page = await ReadAsync(ListingRepository(limitAskedFor: 4, before: null, rows), new PortalAuditQuery(Limit: 3));
        return (rows, page);
    }

    private static Task<PortalAuditPage> ReadAsync(IPortalAuditRepository repository, PortalAuditQuery query) =>
        ApplicationFixtures.AuditTrail(ApplicationFixtures.CurrentTenant(Tenant), repository).ReadAsync(query, CancellationToken.None);
}
