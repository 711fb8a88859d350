using Billing.Api.Controllers;
using Billing.Application.Common.Exceptions;
using Billing.Application.Common.Interfaces;
using Billing.Application.PortalSessions;
using Billing.Domain.Tenants;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace Billing.Tests.Api.Controllers;

public sealed class SubscriptionsControllerTests
{
    private static readonly TenantId Tenant = new(Guid.NewGuid());

    private Mock<ICurrentTenant> currentTenant = null!;
    private Mock<ITenantConfigRepository> repository = null!;
    private Mock<IStripePortalGateway> gateway = null!;

    [SetUp]
    public void SetUp()
    {
        currentTenant = new Mock<ICurrentTenant>();
        currentTenant.SetupGet(tenant => tenant.TenantId).Returns(Tenant);
        repository = new Mock<ITenantConfigRepository>();
        repository.Setup(r => r.FindAsync(Tenant, It.IsAny<CancellationToken>())).ReturnsAsync(new TenantConfig(Tenant, "cus_1"));
        gateway = new Mock<IStripePortalGateway>();
    }

    [Test]
    public async Task CreatePortalSession_SessionCreated_Returns200WithTheUrl()
    {
        gateway.Setup(g => g.CreateSessionAsync(It.IsAny<PortalSessionParameters>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new PortalSession("https://billing.stripe.com/p/session/test_1"));

        var result = await CreateController().CreatePortalSession(request: null, CancellationToken.None);

        var ok = result.Result as OkObjectResult;
        Assert.That(ok?.Value, Is.EqualTo(new PortalSession("https://billing.stripe.com/p/session/test_1")));
    }

    [Test]
    public async Task CreatePortalSession_Always_HandsTheRequestAbortedTokenToTheService()
    {
        using var aborted = new CancellationTokenSource();
        gateway.Setup(g => g.CreateSessionAsync(It.IsAny<PortalSessionParameters>(), aborted.Token))
            .ReturnsAsync(new PortalSession("https://billing.stripe.com/p/session/test_1"));

        await CreateController().CreatePortalSession(new PortalSessionRequest(), aborted.Token);

        repository.Verify(r => r.FindAsync(Tenant, aborted.Token), Times.Once);
        gateway.Verify(g => g.CreateSessionAsync(It.IsAny<PortalSessionParameters>(), aborted.Token), Times.Once);
    }

    [Test]
    public async Task CreatePortalSession_ServiceFails_LetsTheExceptionReachTheFilter()
    {
        currentTenant.SetupGet(tenant => tenant.TenantId).Returns((TenantId?)null);

        await Assert.ThrowsAsync<TenantContextMissingException>(() => CreateController().CreatePortalSession(null, CancellationToken.None));
    }

    private SubscriptionsController CreateController() => new(new PortalSessionService(
        currentTenant.Object,
        repository.Object,
        gateway.Object,
        Options.Create(new AppOptions { PublicUrl = "https://app.example.com" }),
        Options.Create(new PortalOptions()),
        NullLogger<PortalSessionService>.Instance));
}
