using Billing.Application.Common.Exceptions;
using Billing.Application.Common.Interfaces;
using Billing.Application.PortalAudit;
using Billing.Application.PortalSessions;
using Billing.Domain.Tenants;
using Billing.Tests.Support;
using FluentValidation;
using Microsoft.Extensions.Logging.Testing;
using Moq;

namespace Billing.Tests.Application.PortalSessions;

public sealed class PortalSessionServiceTests
{
    private static readonly TenantId Tenant = new(Guid.Parse("0b6f1c8e-5a43-4c55-9d0e-6a2f3c1b7d10"));
    private const string CustomerId = "cus_Q1w2e3r4t5";
    private const string SubscriptionId = "sub_1Abc";
    private const string SessionUrl = "https://billing.stripe.com/p/session/test_abc";
    private static readonly CreatedPortalSession Created = new("bps_1", SessionUrl, "bpc_default", "req_ok");

    private TenantId? currentTenant;
    private Mock<ITenantConfigRepository> repository = null!;
    private Mock<IStripePortalGateway> gateway = null!;
    private RecordingAuditRepository audit = null!;
    private FakeLogger<PortalSessionService> logger = null!;

    [SetUp]
    public void SetUp()
    {
        currentTenant = Tenant;
        repository = new Mock<ITenantConfigRepository>(MockBehavior.Strict);
        gateway = new Mock<IStripePortalGateway>(MockBehavior.Strict);
        audit = new RecordingAuditRepository();
        logger = new FakeLogger<PortalSessionService>();
    }

    [Test]
    public async Task CreateAsync_TenantHasCustomer_ReturnsTheSessionUrlFromStripe()
    {
        GivenTenantConfig(CustomerId);
        GivenGatewayReturns(Created);

        var session = await CreateService().CreateAsync(PortalSessionRequest.Empty, CancellationToken.None);

        Assert.That(session, Is.EqualTo(new PortalSession(SessionUrl)));
    }

    [Test]
    public async Task CreateAsync_EmptyRequest_SendsTheCustomerAndTheDefaultReturnUrlAndNothingElse()
    {
        GivenTenantConfig(CustomerId, SubscriptionId);
        GivenGatewayReturns(Created);

        await CreateService().CreateAsync(PortalSessionRequest.Empty, CancellationToken.None);

        VerifyGatewayGot(new PortalSessionParameters(CustomerId, "https://app.example.com/settings/billing"));
    }

    [Test]
    public async Task CreateAsync_ReturnPathRequested_ResolvesItOnThePublicUrl()
    {
        GivenTenantConfig(CustomerId);
        GivenGatewayReturns(Created);

        await CreateService().CreateAsync(new PortalSessionRequest(ReturnUrl: "/settings/billing?tab=invoices"), CancellationToken.None);

        VerifyGatewayGot(new PortalSessionParameters(CustomerId, "https://app.example.com/settings/billing?tab=invoices"));
    }

    [Test]
    public async Task CreateAsync_PaymentMethodFlow_SendsTheFlowWithoutASubscription()
    {
        GivenTenantConfig(CustomerId, SubscriptionId);
        GivenGatewayReturns(Created);

        await CreateService().CreateAsync(new PortalSessionRequest(Flow: "payment_method_update"), CancellationToken.None);

        VerifyGatewayGot(new PortalSessionParameters(CustomerId, "https://app.example.com/settings/billing", PortalFlow.PaymentMethodUpdate));
    }

    [TestCase("subscription_cancel", PortalFlow.SubscriptionCancel)]
    [TestCase("subscription_update", PortalFlow.SubscriptionUpdate)]
    public async Task CreateAsync_SubscriptionFlow_SendsTheTenantsOwnSubscription(string flow, PortalFlow expected)
    {
        GivenTenantConfig(CustomerId, SubscriptionId);
        GivenGatewayReturns(Created);

        await CreateService().CreateAsync(new PortalSessionRequest(Flow: flow), CancellationToken.None);

        VerifyGatewayGot(new PortalSessionParameters(CustomerId, "https://app.example.com/settings/billing", expected, SubscriptionId));
    }

    [TestCase("subscription_cancel")]
    [TestCase("subscription_update")]
    public async Task CreateAsync_SubscriptionFlowWithoutSubscription_ThrowsSubscriptionNotFoundWithoutCallingStripe(string flow)
    {
        GivenTenantConfig(CustomerId);

        await Assert.ThrowsAsync<StripeSubscriptionNotFoundException>(
            () => CreateService().CreateAsync(new PortalSessionRequest(Flow: flow), CancellationToken.None));

        gateway.VerifyNoOtherCalls();
        Assert.That(audit.Entries.Single().Outcome, Is.EqualTo(PortalAuditOutcome.NoSubscription));
    }

    [Test]
    public async Task CreateAsync_LocaleRequested_SendsIt()
    {
        GivenTenantConfig(CustomerId);
        GivenGatewayReturns(Created);

        await CreateService().CreateAsync(new PortalSessionRequest(Locale: "pt-BR"), CancellationToken.None);

        gateway.Verify(g => g.CreateSessionAsync(It.Is<PortalSessionParameters>(p => p.Locale == "pt-BR"), It.IsAny<CancellationToken>()));
    }

    [Test]
    public async Task CreateAsync_TenantHasItsOwnPortalConfiguration_SendsIt()
    {
        GivenTenantConfig(CustomerId, portalConfigurationId: "bpc_tenant");
        GivenGatewayReturns(Created);

        await CreateService().CreateAsync(PortalSessionRequest.Empty, CancellationToken.None);

        gateway.Verify(g => g.CreateSessionAsync(
            It.Is<PortalSessionParameters>(p => p.PortalConfigurationId == "bpc_tenant"), It.IsAny<CancellationToken>()));
    }

    [Test]
    public async Task CreateAsync_Always_PassesTheCallersCancellationTokenDown()
    {
        using var cancellation = new CancellationTokenSource();
        repository.Setup(r => r.FindAsync(Tenant, cancellation.Token)).ReturnsAsync(new TenantConfig(Tenant, CustomerId));
        gateway.Setup(g => g.CreateSessionAsync(It.IsAny<PortalSessionParameters>(), cancellation.Token)).ReturnsAsync(Created);

        await CreateService().CreateAsync(PortalSessionRequest.Empty, cancellation.Token);

        gateway.Verify(g => g.CreateSessionAsync(It.IsAny<PortalSessionParameters>(), cancellation.Token), Times.Once);
    }

    [Test]
    public async Task CreateAsync_SessionCreated_AuditsCreatedWithSessionConfigurationAndRequestIdButNotTheUrl()
    {
        GivenTenantConfig(CustomerId);
        GivenGatewayReturns(Created);

        await CreateService().CreateAsync(new PortalSessionRequest(Flow: "payment_method_update", Locale: "fr"), CancellationToken.None);

        var entry = audit.Entries.Single();
        Assert.Multiple(() =>
        {
            Assert.That(entry.TenantId, Is.EqualTo(Tenant));
            Assert.That(entry.Outcome, Is.EqualTo(PortalAuditOutcome.Created));
            Assert.That(entry.Details, Is.EqualTo(new PortalAuditDetails(
                CustomerId, "bps_1", "payment_method_update", "fr", "https://app.example.com/settings/billing", "bpc_default", "req_ok")));
            Assert.That(entry.ToString(), Does.Not.Contain(SessionUrl));
        });
    }

    [Test]
    public async Task CreateAsync_AuditCannotBeWritten_ThrowsAndHandsOutNoUrl()
    {
        GivenTenantConfig(CustomerId);
        GivenGatewayReturns(Created);
        audit.FailWith = new TimeoutException("audit insert timed out");

        Assert.That(async () => await CreateService().CreateAsync(PortalSessionRequest.Empty, CancellationToken.None),
            Throws.InstanceOf<TimeoutException>());
    }

    [Test]
    public async Task CreateAsync_NoTenantInToken_ThrowsTenantContextMissingWithoutTouchingDatabaseOrStripe()
    {
        currentTenant = null;

        await Assert.ThrowsAsync<TenantContextMissingException>(() => CreateService().CreateAsync(PortalSessionRequest.Empty, CancellationToken.None));

        repository.VerifyNoOtherCalls();
        gateway.VerifyNoOtherCalls();
        Assert.That(audit.Entries, Is.Empty);
    }

    [Test]
    public async Task CreateAsync_TenantHasNoRow_ThrowsStripeCustomerNotFoundWithoutCallingStripe()
    {
        repository.Setup(r => r.FindAsync(Tenant, It.IsAny<CancellationToken>())).ReturnsAsync((TenantConfig?)null);

        var exception = await Assert.ThrowsAsync<StripeCustomerNotFoundException>(
            () => CreateService().CreateAsync(PortalSessionRequest.Empty, CancellationToken.None));

        Assert.That(exception.TenantId, Is.EqualTo(Tenant));
        gateway.VerifyNoOtherCalls();
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public async Task CreateAsync_TenantRowHasNoCustomerId_ThrowsStripeCustomerNotFoundAndAuditsNoCustomer(string? storedCustomerId)
    {
        GivenTenantConfig(storedCustomerId);

        await Assert.ThrowsAsync<StripeCustomerNotFoundException>(() => CreateService().CreateAsync(PortalSessionRequest.Empty, CancellationToken.None));

        gateway.VerifyNoOtherCalls();
        Assert.That(audit.Entries.Single().Outcome, Is.EqualTo(PortalAuditOutcome.NoCustomer));
    }

    [Test]
    public async Task CreateAsync_StripeDoesNotKnowTheStoredCustomer_ThrowsStripeCustomerNotFoundAndAuditsNoCustomer()
    {
        GivenTenantConfig(CustomerId);
        GivenGatewayThrows(new UnknownStripeCustomerException(CustomerId, "req_123"));

        await Assert.ThrowsAsync<StripeCustomerNotFoundException>(() => CreateService().CreateAsync(PortalSessionRequest.Empty, CancellationToken.None));

        var entry = audit.Entries.Single();
        Assert.Multiple(() =>
        {
            Assert.That(entry.Outcome, Is.EqualTo(PortalAuditOutcome.NoCustomer));
            Assert.That(entry.Details.StripeRequestId, Is.EqualTo("req_123"));
        });
    }

    [Test]
    public async Task CreateAsync_StripeDoesNotKnowTheStoredCustomer_LogsAWarningThatTheStoredIdIsStale()
    {
        GivenTenantConfig(CustomerId);
        GivenGatewayThrows(new UnknownStripeCustomerException(CustomerId, "req_123"));

        await Assert.CatchAsync(() => CreateService().CreateAsync(PortalSessionRequest.Empty, CancellationToken.None));

        StaleCustomerWarning.AssertIs(logger.LatestRecord, Tenant, CustomerId, "req_123");
    }

    [Test]
    public async Task CreateAsync_StripeFails_RethrowsAndAuditsStripeErrorWithTheRequestId()
    {
        GivenTenantConfig(CustomerId);
        var failure = new PaymentProviderException("Stripe answered 500", "req_9");
        GivenGatewayThrows(failure);

        var exception = await Assert.ThrowsAsync<PaymentProviderException>(
            () => CreateService().CreateAsync(PortalSessionRequest.Empty, CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(exception, Is.SameAs(failure));
            Assert.That(audit.Entries.Single().Outcome, Is.EqualTo(PortalAuditOutcome.StripeError));
            Assert.That(audit.Entries.Single().Details.StripeRequestId, Is.EqualTo("req_9"));
        });
    }

    [Test]
    public async Task CreateAsync_CallerHangsUpWhileStripeIsAsked_AuditsAbandonedWithTheCustomer()
    {
        using var hangUp = new CancellationTokenSource();
        GivenTenantConfig(CustomerId);
        GivenCallerHangsUpDuringTheStripeCall(hangUp);

        await Assert.CatchAsync<OperationCanceledException>(() => CreateService().CreateAsync(PortalSessionRequest.Empty, hangUp.Token));

        var entry = audit.Entries.Single();
        Assert.Multiple(() =>
        {
            Assert.That(entry.Outcome, Is.EqualTo(PortalAuditOutcome.Abandoned));
            Assert.That(entry.Details.StripeCustomerId, Is.EqualTo(CustomerId));
            Assert.That(entry.Details.PortalSessionId, Is.Null);
        });
    }

    [Test]
    public void CreateAsync_CallerHangsUpWhileStripeIsAsked_RethrowsTheCancellation()
    {
        using var hangUp = new CancellationTokenSource();
        GivenTenantConfig(CustomerId);
        GivenCallerHangsUpDuringTheStripeCall(hangUp);

        Assert.That(async () => await CreateService().CreateAsync(PortalSessionRequest.Empty, hangUp.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task CreateAsync_DatabaseFails_LetsTheExceptionThroughWithoutCallingStripe()
    {
        var failure = new TimeoutException("database timed out");
        repository.Setup(r => r.FindAsync(Tenant, It.IsAny<CancellationToken>())).ThrowsAsync(failure);

        var exception = await Assert.ThrowsAsync<TimeoutException>(() => CreateService().CreateAsync(PortalSessionRequest.Empty, CancellationToken.None));

        Assert.That(exception, Is.SameAs(failure));
        gateway.VerifyNoOtherCalls();
    }

    [Test]
    public async Task CreateAsync_ReturnUrlOnAnotherOrigin_ThrowsValidationNamingReturnUrlWithoutTouchingDatabaseOrStripe()
    {
        var exception = await Assert.ThrowsAsync<ValidationException>(
            () => CreateService().CreateAsync(new PortalSessionRequest(ReturnUrl: "https://evil.example/"), CancellationToken.None));

        Assert.That(exception.Errors.Select(error => error.PropertyName), Is.EqualTo(new[] { "returnUrl" }));
        gateway.VerifyNoOtherCalls();
        repository.VerifyNoOtherCalls();
    }

    [Test]
    public async Task CreateAsync_InvalidRequest_AuditsInvalidRequestWithWhatWasAskedFor()
    {
        var request = new PortalSessionRequest(ReturnUrl: "/ok", Flow: "delete_everything", Locale: "fr");

        await Assert.ThrowsAsync<ValidationException>(() => CreateService().CreateAsync(request, CancellationToken.None));

        var entry = audit.Entries.Single();
        Assert.Multiple(() =>
        {
            Assert.That(entry.Outcome, Is.EqualTo(PortalAuditOutcome.InvalidRequest));
            Assert.That(entry.Details, Is.EqualTo(new PortalAuditDetails(Flow: "delete_everything", Locale: "fr", ReturnUrl: "/ok")));
        });
    }

    private PortalSessionService CreateService() =>
        ApplicationFixtures.PortalSessionService(currentTenant, repository.Object, gateway.Object, audit, logger);

    private void GivenTenantConfig(string? stripeCustomerId, string? subscriptionId = null, string? portalConfigurationId = null) =>
        repository.Setup(r => r.FindAsync(Tenant, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TenantConfig(Tenant, stripeCustomerId, subscriptionId, portalConfigurationId));

    private void GivenGatewayReturns(CreatedPortalSession session) =>
        gateway.Setup(g => g.CreateSessionAsync(It.IsAny<PortalSessionParameters>(), It.IsAny<CancellationToken>())).ReturnsAsync(session);

    private void GivenGatewayThrows(Exception exception) =>
        gateway.Setup(g => g.CreateSessionAsync(It.IsAny<PortalSessionParameters>(), It.IsAny<CancellationToken>())).ThrowsAsync(exception);

    private void GivenCallerHangsUpDuringTheStripeCall(CancellationTokenSource hangUp) =>
        gateway.Setup(g => g.CreateSessionAsync(It.IsAny<PortalSessionParameters>(), hangUp.Token))
            .Returns(async () =>
            {
                await hangUp.CancelAsync();
                hangUp.Token.ThrowIfCancellationRequested();
                return Created;
            });

    private void VerifyGatewayGot(PortalSessionParameters expected) =>
        gateway.Verify(g => g.CreateSessionAsync(expected, It.IsAny<CancellationToken>()), Times.Once);
}
