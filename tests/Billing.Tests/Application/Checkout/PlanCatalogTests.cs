using Billing.Application.Checkout;
using Billing.Application.Common.Exceptions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Moq;

namespace Billing.Tests.Application.Checkout;

public sealed class PlanCatalogTests
{
    private static readonly StripePrice Team = new("price_team", 1900, "usd", "month");
    private static readonly StripePrice Scale = new("price_scale", 19000, "eur", "year");

    private Mock<IStripePriceGateway> prices = null!;
    private FakeLogger<PlanCatalog> logger = null!;

    [SetUp]
    public void SetUp()
    {
        prices = new Mock<IStripePriceGateway>(MockBehavior.Strict);
        logger = new FakeLogger<PlanCatalog>();
    }

    [Test]
    public async Task ListAsync_KnownRecurringPrices_ListsThemInConfiguredOrderWithStripesAmounts()
    {
        GivenPrice("price_scale", Scale);
        GivenPrice("price_team", Team);

        var list = await Catalog(("price_scale", "Scale"), ("price_team", "Team")).ListAsync(CancellationToken.None);

        Assert.That(list.Plans, Is.EqualTo(new[]
        {
            new Plan("price_scale", "Scale", 19000, "eur", "year"),
            new Plan("price_team", "Team", 1900, "usd", "month"),
        }));
    }

    [Test]
    public async Task ListAsync_ReadTwice_AsksStripeOncePerPrice()
    {
        GivenPrice("price_team", Team);
        var catalog = Catalog(("price_team", "Team"));

        await catalog.ListAsync(CancellationToken.None);
        await catalog.ListAsync(CancellationToken.None);

        prices.Verify(gateway => gateway.FindAsync("price_team", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task ListAsync_PriceStripeDoesNotKnow_LeavesItOutLogsOnceAndDoesNotAskAgain()
    {
        GivenPrice("price_gone", null);
        GivenPrice("price_team", Team);
        var catalog = Catalog(("price_gone", "Gone"), ("price_team", "Team"));

        await catalog.ListAsync(CancellationToken.None);
        var list = await catalog.ListAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(list.Plans.Select(plan => plan.PriceId), Is.EqualTo(new[] { "price_team" }));
            Assert.That(logger.Collector.GetSnapshot().Count(record => record.Message.Contains("price_gone")), Is.EqualTo(1));
        });
        prices.Verify(gateway => gateway.FindAsync("price_gone", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task ListAsync_OneTimePrice_LeavesItOut()
    {
        GivenPrice("price_once", new StripePrice("price_once", 500, "usd", RecurringInterval: null));

        var list = await Catalog(("price_once", "Once")).ListAsync(CancellationToken.None);

        Assert.That(list.Plans, Is.Empty);
    }

    [Test]
    public async Task ListAsync_StripeFailedOnce_AsksAgainNextTime()
    {
        prices.SetupSequence(gateway => gateway.FindAsync("price_team", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PaymentProviderException("Stripe could not be reached."))
            .ReturnsAsync(Team);
        var catalog = Catalog(("price_team", "Team"));

        await Assert.ThrowsAsync<PaymentProviderException>(() => catalog.ListAsync(CancellationToken.None));
        var list = await catalog.ListAsync(CancellationToken.None);

        Assert.That(list.Plans, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task EnsureAllOfferedAsync_AnUnknownAndAOneTimePrice_ThrowsNamingBoth()
    {
        GivenPrice("price_gone", null);
        GivenPrice("price_once", new StripePrice("price_once", 500, "usd", RecurringInterval: null));
        GivenPrice("price_team", Team);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Catalog(("price_gone", "Gone"), ("price_once", "Once"), ("price_team", "Team")).EnsureAllOfferedAsync(CancellationToken.None));

        Assert.That(exception!.Message, Does.Contain("price_gone, price_once").And.Not.Contain("price_team"));
    }

    [Test]
    public async Task EnsureAllOfferedAsync_AllRecurringAndKnown_Passes()
    {
        GivenPrice("price_team", Team);

        await Assert.DoesNotThrowAsync(() => Catalog(("price_team", "Team")).EnsureAllOfferedAsync(CancellationToken.None));
    }

    [TestCase("price_team", true)]
    [TestCase("price_other", false)]
    [TestCase(null, false)]
    public void IsOffered_ConfiguredPriceOnly(string? priceId, bool offered) =>
        Assert.That(Catalog(("price_team", "Team")).IsOffered(priceId), Is.EqualTo(offered));

    private void GivenPrice(string priceId, StripePrice? price) =>
        prices.Setup(gateway => gateway.FindAsync(priceId, It.IsAny<CancellationToken>())).ReturnsAsync(price);

    private PlanCatalog Catalog(params (string PriceId, string Name)[] plans) => new(
        Options.Create(new BillingOptions { Plans = [.. plans.Select(plan => new PlanOptions { PriceId = plan.PriceId, Name = plan.Name })] }),
        prices.Object,
        logger);
}
