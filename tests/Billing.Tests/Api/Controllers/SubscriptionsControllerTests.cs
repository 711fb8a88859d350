using Billing.Api.Controllers;
using Billing.Application.Common.Exceptions;
using Billing.Application.Common.Interfaces;
using Billing.Application.PortalSessions;
using Billing.Domain.Tenants;
using Billing.Tests.Support;
using Microsoft.AspNetCore.Mvc;
using Moq;

namespace Billing.Tests.Api.Controllers;

public sealed class SubscriptionsControllerTests
{
    private static readonly TenantId Tenant = new(Guid.NewGuid());

    private TenantId? currentTenant;
    private Mock<ITenantConfigRepository> repository = null!;
    private Mock<IStripePortalGateway> gateway = null!;

    [SetUp]
    public void SetUp()
    {
        currentTenant = Tenant;
        repository = new Mock<ITenantConfigRepository>();
        repository.Setup(r => r.FindAsync(Tenant, It.IsAny<CancellationToken>())).ReturnsAsync(new TenantConfig(Tenant, "cus_1"));
        gateway = new Mock<IStripePortalGateway>();
        gateway.Setup(g => g.CreateSessionAsync(It.IsAny<PortalSessionParameters>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CreatedPortalSession("bps_1", "https://billing.stripe.com/p/session/test_1", "bpc_1", "req_1"));
    }

    [Test]
    public async Task CreatePortalSession_SessionCreated_Returns200WithOnlyTheUrl()
    {
        var result = await new SubscriptionsController().CreatePortalSession(CreateService(), request: null, CancellationToken.None);

        Assert.That((result.Result as OkObjectResult)?.Value, Is.EqualTo(new PortalSession("https://billing.stripe.com/p/session/test_1")));
    }

    [Test]
    public async Task CreatePortalSession_WithBody_HandsTheRequestToTheService()
    {
        await new SubscriptionsController().CreatePortalSession(CreateService(), new PortalSessionRequest(Locale: "de"), CancellationToken.None);

        gateway.Verify(g => g.CreateSessionAsync(It.Is<PortalSessionParameters>(p => p.Locale == "de"), It.IsAny<CancellationToken>()));
    }

    [Test]
    public async Task CreatePortalSession_Always_HandsTheRequestAbortedTokenToTheService()
    {
        using var aborted = new CancellationTokenSource();

        await new SubscriptionsController().CreatePortalSession(CreateService(), null, aborted.Token);

        repository.Verify(r => r.FindAsync(Tenant, aborted.Token), Times.Once);
        gateway.Verify(g => g.CreateSessionAsync(It.IsAny<PortalSessionParameters>(), aborted.Token), Times.Once);
    }

    [Test]
    public async Task CreatePortalSession_ServiceFails_LetsTheExceptionReachTheFilter()
    {
        currentTenant = null;

        await Assert.ThrowsAsync<TenantContextMissingException>(
            () => new SubscriptionsController().CreatePortalSession(CreateService(), null, CancellationToken.None));
    }

    private PortalSessionService CreateService() =>
        ApplicationFixtures.PortalSessionService(currentTenant, repository.Object, gateway.Object, new RecordingAuditRepository());
}
