using Billing.Application.Common.Exceptions;
using Billing.Application.Subscriptions;
using Billing.Domain.Tenants;
using Billing.Tests.Support;
using Moq;

namespace Billing.Tests.Application.Subscriptions;

public sealed class SubscriptionSyncTests
{
    private static readonly TenantId Tenant = new(Guid.Parse("6d2e8f1a-3b4c-4d5e-9f6a-7b8c9d0e1f2a"));
    private const string CustomerId = "cus_Sync1";

    // Whole microseconds, as PostgreSQL keeps them.
    private static readonly DateTimeOffset ReadStarted = new(2026, 12, 1, 12, 0, 0, 123, 456, TimeSpan.Zero);

    private static readonly StripeSubscription Active = new(
        "sub_1", "active", ReadStarted.AddDays(-10), "price_1", "prod_1", 2, ReadStarted.AddDays(20), CancelAtPeriodEnd: false, null, null);

    private Mock<IStripeSubscriptionGateway> gateway = null!;
    private Mock<ITenantBillingRepository> billing = null!;
    private ManualTimeProvider time = null!;

    [SetUp]
    public void SetUp()
    {
        gateway = new Mock<IStripeSubscriptionGateway>(MockBehavior.Strict);
        billing = new Mock<ITenantBillingRepository>(MockBehavior.Strict);
        billing.Setup(b => b.SaveStateAsync(It.IsAny<TenantId>(), It.IsAny<string>(), It.IsAny<SubscriptionState>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(true);
        time = new ManualTimeProvider(ReadStarted);
    }

    [Test]
    public async Task SyncAsync_ClockMovesDuringTheRead_StampsTheTimeTheReadStarted()
    {
        gateway.Setup(g => g.ListAsync(CustomerId, It.IsAny<CancellationToken>()))
            .Callback(() => time.Advance(TimeSpan.FromSeconds(2)))
            .ReturnsAsync(new[] { Active });

        var state = await Sync().SyncAsync(Tenant, CustomerId, CancellationToken.None);

        Assert.That(state.SyncedAt, Is.EqualTo(ReadStarted));
    }

    [Test]
    public async Task SyncAsync_ClockBetweenMicroseconds_StampsTheWholeMicrosecondBefore()
    {
        time.Advance(TimeSpan.FromTicks(7));
        GivenStripeLists(Active);

        var state = await Sync().SyncAsync(Tenant, CustomerId, CancellationToken.None);

        Assert.That(state.SyncedAt, Is.EqualTo(ReadStarted));
    }

    [Test]
    public async Task SyncAsync_Subscriptions_ReadsThemForTheGivenCustomer()
    {
        GivenStripeLists(Active);

        await Sync().SyncAsync(Tenant, CustomerId, CancellationToken.None);

        gateway.Verify(g => g.ListAsync(CustomerId, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task SyncAsync_Subscriptions_SavesWhatThePolicyChoseForTheTenantAndCustomer()
    {
        var ended = Active with { Id = "sub_0", Status = "canceled", Created = ReadStarted.AddDays(-1) };
        GivenStripeLists(ended, Active);

        var expected = CurrentSubscriptionPolicy.ToState([Active], ReadStarted);

        await Sync().SyncAsync(Tenant, CustomerId, CancellationToken.None);

        billing.Verify(b => b.SaveStateAsync(Tenant, CustomerId, expected, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task SyncAsync_NoSubscriptions_SavesNone()
    {
        GivenStripeLists();

        await Sync().SyncAsync(Tenant, CustomerId, CancellationToken.None);

        billing.Verify(b => b.SaveStateAsync(Tenant, CustomerId, SubscriptionState.None(ReadStarted), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task SyncAsync_Subscriptions_ReturnsTheStateItSaved()
    {
        GivenStripeLists(Active);

        var state = await Sync().SyncAsync(Tenant, CustomerId, CancellationToken.None);

        Assert.That(state, Is.EqualTo(CurrentSubscriptionPolicy.ToState([Active], ReadStarted)));
    }

    [Test]
    public async Task SyncAsync_StripeDoesNotKnowTheCustomer_ThrowsAndSavesNothing()
    {
        gateway.Setup(g => g.ListAsync(CustomerId, It.IsAny<CancellationToken>())).ThrowsAsync(new UnknownStripeCustomerException(CustomerId, "req_1"));

        await Assert.ThrowsAsync<UnknownStripeCustomerException>(() => Sync().SyncAsync(Tenant, CustomerId, CancellationToken.None));

        billing.Verify(b => b.SaveStateAsync(It.IsAny<TenantId>(), It.IsAny<string>(), It.IsAny<SubscriptionState>(), It.IsAny<CancellationToken>()),
            Times.Never);
    }

    private SubscriptionSync Sync() => ApplicationFixtures.SubscriptionSync(gateway.Object, billing.Object, time);

    private void GivenStripeLists(params StripeSubscription[] subscriptions) =>
        gateway.Setup(g => g.ListAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(subscriptions);
}
