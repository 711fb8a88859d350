using Billing.Application.Common.Exceptions;
using Billing.Application.PortalAudit;
using Billing.Application.Subscriptions;
using Billing.Domain.Tenants;
using Billing.Tests.Support;
using Microsoft.Extensions.Logging.Testing;
using Moq;
using TenantBilling = Billing.Application.Subscriptions.TenantBilling;

namespace Billing.Tests.Application.Subscriptions;

public sealed class CurrentSubscriptionServiceTests
{
    private static readonly TenantId Tenant = new(Guid.Parse("1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"));
    private const string CustomerId = "cus_Current1";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly SubscriptionState Stored = new(
        "active", "sub_1", "price_1", "prod_1", 1, Now.AddDays(20), false, null, null, Now.AddHours(-1));

    private static readonly StripeSubscription Listed = new(
        "sub_2", "trialing", Now.AddDays(-1), "price_2", "prod_2", 5, Now.AddDays(13), CancelAtPeriodEnd: false, null, Now.AddDays(13));

    private TenantId? currentTenant;
    private Mock<ITenantBillingRepository> billing = null!;
    private Mock<IStripeSubscriptionGateway> gateway = null!;
    private RecordingAuditRepository audit = null!;
    private FakeLogger<CurrentSubscriptionService> logger = null!;

    [SetUp]
    public void SetUp()
    {
        currentTenant = Tenant;
        billing = new Mock<ITenantBillingRepository>(MockBehavior.Strict);
        gateway = new Mock<IStripeSubscriptionGateway>(MockBehavior.Strict);
        audit = new RecordingAuditRepository();
        logger = new FakeLogger<CurrentSubscriptionService>();
    }

    [Test]
    public async Task GetAsync_NoTenantInToken_ThrowsTenantContextMissingWithoutTouchingTheDatabase()
    {
        currentTenant = null;

        await Assert.ThrowsAsync<TenantContextMissingException>(() => Service().GetAsync(CancellationToken.None));

        billing.VerifyNoOtherCalls();
    }

    [Test]
    public async Task GetAsync_TenantHasNoRow_ThrowsStripeCustomerNotFoundForTheTenant()
    {
        GivenStored(null);

        var exception = await Assert.ThrowsAsync<StripeCustomerNotFoundException>(() => Service().GetAsync(CancellationToken.None));

        Assert.That(exception.TenantId, Is.EqualTo(Tenant));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public void GetAsync_TenantRowHasNoCustomer_ThrowsStripeCustomerNotFound(string? storedCustomerId)
    {
        GivenStored(new TenantBilling(Tenant, storedCustomerId, Stored));

        Assert.That(async () => await Service().GetAsync(CancellationToken.None), Throws.InstanceOf<StripeCustomerNotFoundException>());
    }

    [Test]
    public async Task GetAsync_NeverSynced_ReturnsNoneWithoutASyncTime()
    {
        GivenStored(new TenantBilling(Tenant, CustomerId, State: null));

        var state = await Service().GetAsync(CancellationToken.None);

        Assert.That(state, Is.EqualTo(SubscriptionState.None(syncedAt: null)));
    }

    [Test]
    public async Task GetAsync_Synced_ReturnsTheStoredStateWithoutAskingStripe()
    {
        GivenStored(new TenantBilling(Tenant, CustomerId, Stored));

        var state = await Service().GetAsync(CancellationToken.None);

        Assert.That(state, Is.EqualTo(Stored));
        gateway.VerifyNoOtherCalls();
    }

    [Test]
    public async Task SyncAsync_NoTenantInToken_ThrowsTenantContextMissingWithoutTouchingDatabaseOrStripe()
    {
        currentTenant = null;

        await Assert.ThrowsAsync<TenantContextMissingException>(() => Service().SyncAsync(CancellationToken.None));

        billing.VerifyNoOtherCalls();
        gateway.VerifyNoOtherCalls();
    }

    [Test]
    public async Task SyncAsync_TenantHasNoRow_ThrowsStripeCustomerNotFoundWithoutAskingStripe()
    {
        GivenStored(null);

        var exception = await Assert.ThrowsAsync<StripeCustomerNotFoundException>(() => Service().SyncAsync(CancellationToken.None));

        Assert.That(exception.TenantId, Is.EqualTo(Tenant));
        gateway.VerifyNoOtherCalls();
    }

    [Test]
    public async Task SyncAsync_TenantHasNoRow_AuditsNoCustomerForASync()
    {
        GivenStored(null);

        await Assert.CatchAsync(() => Service().SyncAsync(CancellationToken.None));

        var entry = audit.Entries.Single();
        Assert.That((entry.Outcome, entry.Details), Is.EqualTo((PortalAuditOutcome.NoCustomer, new PortalAuditDetails(Action: "sync"))));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public async Task SyncAsync_TenantRowHasNoCustomer_ThrowsStripeCustomerNotFoundAndAuditsNoCustomer(string? storedCustomerId)
    {
        GivenStored(new TenantBilling(Tenant, storedCustomerId, State: null));

        await Assert.ThrowsAsync<StripeCustomerNotFoundException>(() => Service().SyncAsync(CancellationToken.None));

        gateway.VerifyNoOtherCalls();
        Assert.That(audit.Entries.Single().Outcome, Is.EqualTo(PortalAuditOutcome.NoCustomer));
    }

    [Test]
    public async Task SyncAsync_StripeListsSubscriptions_ReturnsTheChosenOneAsReadNow()
    {
        GivenStored(new TenantBilling(Tenant, CustomerId, Stored));
        GivenStripeLists(Listed);

        var state = await Service().SyncAsync(CancellationToken.None);

        Assert.That(state, Is.EqualTo(CurrentSubscriptionPolicy.ToState([Listed], Now)));
    }

    [Test]
    public async Task SyncAsync_StripeListsSubscriptions_StoresTheStateForTheTenantsCustomer()
    {
        GivenStored(new TenantBilling(Tenant, CustomerId, Stored));
        GivenStripeLists(Listed);

        var expected = CurrentSubscriptionPolicy.ToState([Listed], Now);

        await Service().SyncAsync(CancellationToken.None);

        billing.Verify(b => b.SaveStateAsync(Tenant, CustomerId, expected, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task SyncAsync_StripeListsSubscriptions_AuditsSyncedWithTheCustomer()
    {
        GivenStored(new TenantBilling(Tenant, CustomerId, Stored));
        GivenStripeLists(Listed);

        await Service().SyncAsync(CancellationToken.None);

        var entry = audit.Entries.Single();
        Assert.That((entry.Outcome, entry.Details), Is.EqualTo((PortalAuditOutcome.Synced, new PortalAuditDetails(CustomerId, Action: "sync"))));
    }

    [Test]
    public async Task SyncAsync_CallerHangsUpOnceStripeAnswered_StillAuditsSynced()
    {
        using var hangUp = new CancellationTokenSource();
        GivenStored(new TenantBilling(Tenant, CustomerId, Stored));
        gateway.Setup(g => g.ListAsync(CustomerId, It.IsAny<CancellationToken>()))
            .Returns(async () =>
            {
                await hangUp.CancelAsync();
                return new[] { Listed };
            });

        await Service().SyncAsync(hangUp.Token);

        Assert.That(audit.Entries.Single().Outcome, Is.EqualTo(PortalAuditOutcome.Synced));
    }

    [Test]
    public async Task SyncAsync_StripeDoesNotKnowTheCustomer_ThrowsStripeCustomerNotFoundForTheTenant()
    {
        GivenStored(new TenantBilling(Tenant, CustomerId, Stored));
        var unknown = new UnknownStripeCustomerException(CustomerId, "req_gone");
        GivenStripeThrows(unknown);

        var exception = await Assert.ThrowsAsync<StripeCustomerNotFoundException>(() => Service().SyncAsync(CancellationToken.None));

        Assert.That((exception.TenantId, exception.InnerException), Is.EqualTo((Tenant, (Exception)unknown)));
    }

    [Test]
    public async Task SyncAsync_StripeDoesNotKnowTheCustomer_AuditsNoCustomerWithStripesRequestId()
    {
        GivenStored(new TenantBilling(Tenant, CustomerId, Stored));
        GivenStripeThrows(new UnknownStripeCustomerException(CustomerId, "req_gone"));

        await Assert.CatchAsync(() => Service().SyncAsync(CancellationToken.None));

        var entry = audit.Entries.Single();
        Assert.That((entry.Outcome, entry.Details),
            Is.EqualTo((PortalAuditOutcome.NoCustomer, new PortalAuditDetails(CustomerId, StripeRequestId: "req_gone", Action: "sync"))));
    }

    [Test]
    public async Task SyncAsync_StripeDoesNotKnowTheCustomer_LogsAWarningThatTheStoredIdIsStale()
    {
        GivenStored(new TenantBilling(Tenant, CustomerId, Stored));
        GivenStripeThrows(new UnknownStripeCustomerException(CustomerId, "req_gone"));

        await Assert.CatchAsync(() => Service().SyncAsync(CancellationToken.None));

        StaleCustomerWarning.AssertIs(logger.LatestRecord, Tenant, CustomerId, "req_gone");
    }

    [Test]
    public async Task SyncAsync_StripeDoesNotKnowTheCustomer_StoresNothing()
    {
        GivenStored(new TenantBilling(Tenant, CustomerId, Stored));
        GivenStripeThrows(new UnknownStripeCustomerException(CustomerId, "req_gone"));

        await Assert.CatchAsync(() => Service().SyncAsync(CancellationToken.None));

        billing.Verify(b => b.SaveStateAsync(It.IsAny<TenantId>(), It.IsAny<string>(), It.IsAny<SubscriptionState>(), It.IsAny<CancellationToken>()),
            Times.Never);
    }

    [Test]
    public async Task SyncAsync_StripeFails_RethrowsTheSameException()
    {
        GivenStored(new TenantBilling(Tenant, CustomerId, Stored));
        var failure = new PaymentProviderException("Stripe answered 500", "req_500");
        GivenStripeThrows(failure);

        var exception = await Assert.ThrowsAsync<PaymentProviderException>(() => Service().SyncAsync(CancellationToken.None));

        Assert.That(exception, Is.SameAs(failure));
    }

    [Test]
    public async Task SyncAsync_StripeFails_AuditsStripeErrorWithStripesRequestId()
    {
        GivenStored(new TenantBilling(Tenant, CustomerId, Stored));
        GivenStripeThrows(new PaymentProviderException("Stripe answered 500", "req_500"));

        await Assert.CatchAsync(() => Service().SyncAsync(CancellationToken.None));

        var entry = audit.Entries.Single();
        Assert.That((entry.Outcome, entry.Details),
            Is.EqualTo((PortalAuditOutcome.StripeError, new PortalAuditDetails(CustomerId, StripeRequestId: "req_500", Action: "sync"))));
    }

    private CurrentSubscriptionService Service() =>
        ApplicationFixtures.CurrentSubscriptionService(
            currentTenant, billing.Object, gateway.Object, audit, logger, new ManualTimeProvider(Now));

    private void GivenStored(TenantBilling? stored)
    {
        billing.Setup(b => b.FindAsync(Tenant, It.IsAny<CancellationToken>())).ReturnsAsync(stored);
        billing.Setup(b => b.SaveStateAsync(Tenant, It.IsAny<string>(), It.IsAny<SubscriptionState>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
    }

    private void GivenStripeLists(params StripeSubscription[] subscriptions) =>
        gateway.Setup(g => g.ListAsync(CustomerId, It.IsAny<CancellationToken>())).ReturnsAsync(subscriptions);

    private void GivenStripeThrows(Exception exception) =>
        gateway.Setup(g => g.ListAsync(CustomerId, It.IsAny<CancellationToken>())).ThrowsAsync(exception);
}
