using Billing.Application.Common.Exceptions;
using Billing.Application.Common.Interfaces;
using Billing.Application.PortalSessions;
using Billing.Domain.Tenants;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Moq;

namespace Billing.Tests.Application.PortalSessions;

public sealed class PortalSessionServiceTests
{
    private static readonly TenantId Tenant = new(Guid.Parse("0b6f1c8e-5a43-4c55-9d0e-6a2f3c1b7d10"));
    private const string CustomerId = "cus_Q1w2e3r4t5";
    private const string SessionUrl = "https://billing.stripe.com/p/session/test_abc";

    private Mock<ICurrentTenant> currentTenant = null!;
    private Mock<ITenantConfigRepository> repository = null!;
    private Mock<IStripePortalGateway> gateway = null!;
    private FakeLogger<PortalSessionService> logger = null!;
    private AppOptions app = null!;
    private PortalOptions portal = null!;

    [SetUp]
    public void SetUp()
    {
        currentTenant = new Mock<ICurrentTenant>();
        currentTenant.SetupGet(tenant => tenant.TenantId).Returns(Tenant);
        repository = new Mock<ITenantConfigRepository>(MockBehavior.Strict);
        gateway = new Mock<IStripePortalGateway>(MockBehavior.Strict);
        logger = new FakeLogger<PortalSessionService>();
        app = new AppOptions { PublicUrl = "https://app.example.com" };
        portal = new PortalOptions();
    }

    [Test]
    public async Task CreateAsync_TenantHasCustomer_ReturnsTheSessionUrlFromStripe()
    {
        GivenTenantConfig(CustomerId);
        GivenGatewayReturns(SessionUrl);

        var session = await CreateService().CreateAsync(CancellationToken.None);

        Assert.That(session.Url, Is.EqualTo(SessionUrl));
    }

    [Test]
    public async Task CreateAsync_TenantHasCustomer_SendsThatCustomerAndTheDefaultReturnUrl()
    {
        GivenTenantConfig(CustomerId);
        GivenGatewayReturns(SessionUrl);

        await CreateService().CreateAsync(CancellationToken.None);

        gateway.Verify(g => g.CreateSessionAsync(
            new PortalSessionParameters(CustomerId, "https://app.example.com/settings/billing"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [TestCase("https://app.example.com/", "/billing", "https://app.example.com/billing")]
    [TestCase("https://example.com/app", "/settings/billing", "https://example.com/app/settings/billing")]
    public async Task CreateAsync_ConfiguredUrls_JoinsPublicUrlAndReturnPathWithOneSlash(string publicUrl, string returnPath, string expected)
    {
        app.PublicUrl = publicUrl;
        portal.ReturnPath = returnPath;
        GivenTenantConfig(CustomerId);
        GivenGatewayReturns(SessionUrl);

        await CreateService().CreateAsync(CancellationToken.None);

        gateway.Verify(g => g.CreateSessionAsync(
            It.Is<PortalSessionParameters>(p => p.ReturnUrl == expected), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task CreateAsync_Always_PassesTheCallersCancellationTokenDown()
    {
        using var cancellation = new CancellationTokenSource();
        repository.Setup(r => r.FindAsync(Tenant, cancellation.Token)).ReturnsAsync(new TenantConfig(Tenant, CustomerId));
        gateway.Setup(g => g.CreateSessionAsync(It.IsAny<PortalSessionParameters>(), cancellation.Token))
            .ReturnsAsync(new PortalSession(SessionUrl));

        await CreateService().CreateAsync(cancellation.Token);

        gateway.Verify(g => g.CreateSessionAsync(It.IsAny<PortalSessionParameters>(), cancellation.Token), Times.Once);
    }

    [Test]
    public async Task CreateAsync_NoTenantInToken_ThrowsTenantContextMissingWithoutTouchingDatabaseOrStripe()
    {
        currentTenant.SetupGet(tenant => tenant.TenantId).Returns((TenantId?)null);

        await Assert.ThrowsAsync<TenantContextMissingException>(() => CreateService().CreateAsync(CancellationToken.None));
        repository.VerifyNoOtherCalls();
        gateway.VerifyNoOtherCalls();
    }

    [Test]
    public async Task CreateAsync_TenantHasNoRow_ThrowsStripeCustomerNotFoundWithoutCallingStripe()
    {
        repository.Setup(r => r.FindAsync(Tenant, It.IsAny<CancellationToken>())).ReturnsAsync((TenantConfig?)null);

        var exception = await Assert.ThrowsAsync<StripeCustomerNotFoundException>(() => CreateService().CreateAsync(CancellationToken.None));

        Assert.That(exception.TenantId, Is.EqualTo(Tenant));
        gateway.VerifyNoOtherCalls();
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public async Task CreateAsync_TenantRowHasNoCustomerId_ThrowsStripeCustomerNotFoundWithoutCallingStripe(string? storedCustomerId)
    {
        GivenTenantConfig(storedCustomerId);

        await Assert.ThrowsAsync<StripeCustomerNotFoundException>(() => CreateService().CreateAsync(CancellationToken.None));
        gateway.VerifyNoOtherCalls();
    }

    [Test]
    public async Task CreateAsync_StripeDoesNotKnowTheStoredCustomer_ThrowsStripeCustomerNotFound()
    {
        GivenTenantConfig(CustomerId);
        GivenGatewayThrows(new UnknownStripeCustomerException(CustomerId, "req_123"));

        await Assert.ThrowsAsync<StripeCustomerNotFoundException>(() => CreateService().CreateAsync(CancellationToken.None));
    }

    [Test]
    public async Task CreateAsync_StripeDoesNotKnowTheStoredCustomer_LogsAWarningThatTheStoredIdIsStale()
    {
        GivenTenantConfig(CustomerId);
        GivenGatewayThrows(new UnknownStripeCustomerException(CustomerId, "req_123"));

        await Assert.CatchAsync(() => CreateService().CreateAsync(CancellationToken.None));

        var record = logger.LatestRecord;
        Assert.Multiple(() =>
        {
            Assert.That(record.Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(record.Message, Does.Contain("stale").And.Contain(CustomerId).And.Contain(Tenant.ToString()).And.Contain("req_123"));
        });
    }

    [Test]
    public async Task CreateAsync_StripeFails_LetsThePaymentProviderExceptionThrough()
    {
        GivenTenantConfig(CustomerId);
        var failure = new PaymentProviderException("Stripe answered 500", "req_9");
        GivenGatewayThrows(failure);

        var exception = await Assert.ThrowsAsync<PaymentProviderException>(() => CreateService().CreateAsync(CancellationToken.None));

        Assert.That(exception, Is.SameAs(failure));
    }

    [Test]
    public async Task CreateAsync_DatabaseFails_LetsTheExceptionThroughWithoutCallingStripe()
    {
        var failure = new TimeoutException("database timed out");
        repository.Setup(r => r.FindAsync(Tenant, It.IsAny<CancellationToken>())).ThrowsAsync(failure);

        var exception = await Assert.ThrowsAsync<TimeoutException>(() => CreateService().CreateAsync(CancellationToken.None));

        Assert.That(exception, Is.SameAs(failure));
        gateway.VerifyNoOtherCalls();
    }

    private PortalSessionService CreateService() => new(
        currentTenant.Object, repository.Object, gateway.Object, Options.Create(app), Options.Create(portal), logger);

    private void GivenTenantConfig(string? stripeCustomerId) =>
        repository.Setup(r => r.FindAsync(Tenant, It.IsAny<CancellationToken>())).ReturnsAsync(new TenantConfig(Tenant, stripeCustomerId));

    private void GivenGatewayReturns(string url) =>
        gateway.Setup(g => g.CreateSessionAsync(It.IsAny<PortalSessionParameters>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PortalSession(url));

    private void GivenGatewayThrows(Exception exception) =>
        gateway.Setup(g => g.CreateSessionAsync(It.IsAny<PortalSessionParameters>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(exception);
}
