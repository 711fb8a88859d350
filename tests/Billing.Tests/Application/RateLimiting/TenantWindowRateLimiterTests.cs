using System.Threading.RateLimiting;
using Billing.Application.RateLimiting;
using Billing.Domain.Tenants;
using Billing.Tests.Support;
using Moq;

namespace Billing.Tests.Application.RateLimiting;

public sealed class TenantWindowRateLimiterTests
{
    private const int PermitLimit = 5;
    private static readonly TenantId Tenant = new(Guid.Parse("3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b"));
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    private Mock<ITenantRequestCounter> counter = null!;
    private ManualTimeProvider time = null!;

    [SetUp]
    public void SetUp()
    {
        counter = new Mock<ITenantRequestCounter>(MockBehavior.Strict);
        time = new ManualTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    }

    [Test]
    public void AttemptAcquire_Always_IsNotAcquiredSoTheMiddlewareAsksAcquireAsync()
    {
        using var limiter = Limiter();

        using var lease = limiter.AttemptAcquire();

        // The strict mock fails the test had the counter been asked.
        Assert.That(lease.IsAcquired, Is.False);
    }

    [TestCase(1)]
    [TestCase(PermitLimit)]
    public async Task AcquireAsync_CountWithinTheLimit_IsAcquired(long count)
    {
        GivenCount(count, remaining: TimeSpan.FromSeconds(30));
        using var limiter = Limiter();

        using var lease = await limiter.AcquireAsync();

        Assert.That(lease.IsAcquired, Is.True);
    }

    [Test]
    public async Task AcquireAsync_CountOverTheLimit_IsRejectedWithTheWindowsRemainderAsRetryAfter()
    {
        GivenCount(PermitLimit + 1, remaining: TimeSpan.FromSeconds(42.5));
        using var limiter = Limiter();

        using var lease = await limiter.AcquireAsync();

        Assert.Multiple(() =>
        {
            Assert.That(lease.IsAcquired, Is.False);
            Assert.That(lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter), Is.True);
            Assert.That(retryAfter, Is.EqualTo(TimeSpan.FromSeconds(42.5)));
        });
    }

    [Test]
    public async Task AcquireAsync_RemainderLongerThanTheWindow_RetryAfterIsOneWindow()
    {
        GivenCount(PermitLimit + 1, remaining: Window + TimeSpan.FromMilliseconds(3));
        using var limiter = Limiter();

        using var lease = await limiter.AcquireAsync();

        Assert.That(lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : default, Is.EqualTo(Window));
    }

    [Test]
    public async Task AcquireAsync_AfterTheCounterRefused_RefusesWithoutAskingUntilThatWindowEnds()
    {
        GivenCount(PermitLimit + 1, remaining: TimeSpan.FromSeconds(30));
        using var limiter = Limiter();
        (await limiter.AcquireAsync()).Dispose();
        time.Advance(TimeSpan.FromSeconds(10));

        using var lease = await limiter.AcquireAsync();

        Assert.Multiple(() =>
        {
            Assert.That(lease.IsAcquired, Is.False);
            Assert.That(lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : default, Is.EqualTo(TimeSpan.FromSeconds(20)));
            counter.Verify(c => c.IncrementAsync(Tenant, Window, It.IsAny<CancellationToken>()), Times.Once);
        });
    }

    [Test]
    public async Task AcquireAsync_RefusedWindowHasEnded_AsksTheCounterAgain()
    {
        GivenCount(PermitLimit + 1, remaining: TimeSpan.FromSeconds(30));
        using var limiter = Limiter();
        (await limiter.AcquireAsync()).Dispose();
        time.Advance(TimeSpan.FromSeconds(30));
        GivenCount(1, remaining: Window);

        using var lease = await limiter.AcquireAsync();

        Assert.That(lease.IsAcquired, Is.True);
    }

    [Test]
    public async Task AcquireAsync_Always_CountsTheTenantInTheConfiguredWindowWithTheCallersToken()
    {
        using var hangUp = new CancellationTokenSource();
        GivenCount(1, remaining: Window);
        using var limiter = Limiter();

        using var lease = await limiter.AcquireAsync(cancellationToken: hangUp.Token);

        counter.Verify(c => c.IncrementAsync(Tenant, Window, hangUp.Token), Times.Once);
    }

    [Test]
    public async Task AcquireAsync_CounterFails_ThrowsItsExceptionInsteadOfLettingTheRequestThrough()
    {
        var failure = new InvalidOperationException("The store is unreachable.");
        counter.Setup(c => c.IncrementAsync(Tenant, Window, It.IsAny<CancellationToken>())).ThrowsAsync(failure);
        using var limiter = Limiter();

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(async () => (await limiter.AcquireAsync()).Dispose());

        Assert.That(thrown, Is.SameAs(failure));
    }

    [Test]
    public async Task AcquireAsync_MoreThanOnePermit_Throws()
    {
        using var limiter = Limiter();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => (await limiter.AcquireAsync(permitCount: 2)).Dispose());
    }

    [Test]
    public async Task IdleDuration_AfterARequest_IsTheTimeSinceItAsked()
    {
        GivenCount(1, remaining: Window);
        using var limiter = Limiter();
        time.Advance(TimeSpan.FromMinutes(5));
        (await limiter.AcquireAsync()).Dispose();

        time.Advance(TimeSpan.FromSeconds(11));

        Assert.That(limiter.IdleDuration, Is.EqualTo(TimeSpan.FromSeconds(11)));
    }

    private void GivenCount(long count, TimeSpan remaining) =>
        counter.Setup(c => c.IncrementAsync(Tenant, Window, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TenantWindowCount(count, remaining));

    private TenantWindowRateLimiter Limiter() => new(Tenant, PermitLimit, Window, counter.Object, time);
}
