using Billing.Application.Checkout;
using Billing.Application.Common.Exceptions;
using Billing.Application.Common.Interfaces;
using Billing.Application.PortalAudit;
using Billing.Application.Subscriptions;
using Billing.Domain.Tenants;
using Billing.Tests.Support;
using FluentValidation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace Billing.Tests.Application.Checkout;

public sealed class CheckoutSessionServiceTests
{
    private static readonly TenantId Tenant = new(Guid.Parse("5d1c0a4e-2b7f-4f3e-8a61-0c9b2d4e6f70"));
    private const string CustomerId = "cus_Stored1";
    private const string NewCustomerId = "cus_New1";
    private const string PriceId = "price_team";
    private const string CheckoutUrl = "https://checkout.stripe.com/c/pay/cs_test_1";
    private static readonly CreatedCheckoutSession Created = new("cs_test_1", CheckoutUrl, "req_ok");

    private Mock<ITenantBillingRepository> billing = null!;
    private Mock<IStripeCustomerGateway> customers = null!;
    private Mock<IStripeCheckoutGateway> checkout = null!;
    private RecordingAuditRepository audit = null!;
    private bool allowPromotionCodes;

    [SetUp]
    public void SetUp()
    {
        billing = new Mock<ITenantBillingRepository>(MockBehavior.Strict);
        customers = new Mock<IStripeCustomerGateway>(MockBehavior.Strict);
        checkout = new Mock<IStripeCheckoutGateway>(MockBehavior.Strict);
        audit = new RecordingAuditRepository();
        allowPromotionCodes = false;
    }

    [Test]
    public async Task CreateAsync_TenantHasCustomer_ReturnsTheCheckoutUrlWithoutCreatingACustomer()
    {
        GivenStored(CustomerId);
        GivenCheckoutReturns(Created);

        var session = await CreateService().CreateAsync(new CheckoutRequest(PriceId), CancellationToken.None);

        Assert.That(session, Is.EqualTo(new CheckoutSession(CheckoutUrl)));
        customers.VerifyNoOtherCalls();
    }

    [Test]
    public async Task CreateAsync_OnlyPriceGiven_SendsQuantityOneAndTheDefaultUrlsOnTheReturnPath()
    {
        GivenStored(CustomerId);
        GivenCheckoutReturns(Created);

        await CreateService().CreateAsync(new CheckoutRequest(PriceId), CancellationToken.None);

        checkout.Verify(gateway => gateway.CreateSessionAsync(new CheckoutSessionParameters(
            Tenant, CustomerId, PriceId, 1,
            "https://app.example.com/settings/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}",
            "https://app.example.com/settings/billing?checkout=cancelled",
            Locale: null, AllowPromotionCodes: false), It.IsAny<CancellationToken>()));
    }

    [Test]
    public async Task CreateAsync_EverythingGiven_SendsItResolvedOnThePublicUrl()
    {
        allowPromotionCodes = true;
        GivenStored(CustomerId);
        GivenCheckoutReturns(Created);

        await CreateService().CreateAsync(new CheckoutRequest(PriceId, 7, "/welcome", "/pricing", "fr"), CancellationToken.None);

        checkout.Verify(gateway => gateway.CreateSessionAsync(new CheckoutSessionParameters(
            Tenant, CustomerId, PriceId, 7, "https://app.example.com/welcome", "https://app.example.com/pricing", "fr", AllowPromotionCodes: true),
            It.IsAny<CancellationToken>()));
    }

    [Test]
    public async Task CreateAsync_TenantWithoutCustomer_CreatesOneThroughTheLockedRepositoryWithTheUsersClaims()
    {
        GivenStored(customerId: null);
        NewStripeCustomer? asked = null;
        customers.Setup(gateway => gateway.CreateAsync(It.IsAny<NewStripeCustomer>(), It.IsAny<CancellationToken>()))
            .Callback<NewStripeCustomer, CancellationToken>((customer, _) => asked = customer)
            .ReturnsAsync(NewCustomerId);
        billing.Setup(repository => repository.GetOrCreateCustomerAsync(Tenant, It.IsAny<Func<CancellationToken, Task<string>>>(), It.IsAny<CancellationToken>()))
            .Returns<TenantId, Func<CancellationToken, Task<string>>, CancellationToken>((_, create, token) => create(token));
        GivenCheckoutReturns(Created);

        await CreateService(email: "ada@example.com", name: "Ada").CreateAsync(new CheckoutRequest(PriceId), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(asked, Is.EqualTo(new NewStripeCustomer(Tenant, "ada@example.com", "Ada")));
            checkout.Verify(gateway => gateway.CreateSessionAsync(
                It.Is<CheckoutSessionParameters>(parameters => parameters.StripeCustomerId == NewCustomerId), It.IsAny<CancellationToken>()));
        });
    }

    [TestCase("active")]
    [TestCase("trialing")]
    [TestCase("past_due")]
    [TestCase("unpaid")]
    [TestCase("paused")]
    public async Task CreateAsync_LiveSubscriptionStored_RefusesAndAuditsSubscriptionExists(string status)
    {
        GivenStored(CustomerId, status);

        await Assert.ThrowsAsync<SubscriptionAlreadyExistsException>(() => CreateService().CreateAsync(new CheckoutRequest(PriceId), CancellationToken.None));
        Assert.That(audit.Entries.Single().Outcome, Is.EqualTo(PortalAuditOutcome.SubscriptionExists));
        checkout.VerifyNoOtherCalls();
    }

    [TestCase("canceled")]
    [TestCase("incomplete_expired")]
    [TestCase("incomplete")]
    [TestCase("none")]
    public async Task CreateAsync_SubscriptionEndedOrNeverPaid_OpensCheckout(string status)
    {
        GivenStored(CustomerId, status);
        GivenCheckoutReturns(Created);

        var session = await CreateService().CreateAsync(new CheckoutRequest(PriceId), CancellationToken.None);

        Assert.That(session.Url, Is.EqualTo(CheckoutUrl));
    }

    [Test]
    public async Task CreateAsync_Created_AuditsTheSessionPriceQuantityAndSuccessUrlButNotTheCheckoutUrl()
    {
        GivenStored(CustomerId);
        GivenCheckoutReturns(Created);

        await CreateService().CreateAsync(new CheckoutRequest(PriceId, 3, "/welcome"), CancellationToken.None);

        var entry = audit.Entries.Single();
        Assert.Multiple(() =>
        {
            Assert.That(entry.Outcome, Is.EqualTo(PortalAuditOutcome.Created));
            Assert.That(entry.Details, Is.EqualTo(new PortalAuditDetails(
                StripeCustomerId: CustomerId, ReturnUrl: "https://app.example.com/welcome", StripeRequestId: "req_ok",
                Action: PortalAuditActions.Checkout, CheckoutSessionId: "cs_test_1", PriceId: PriceId, Quantity: 3)));
            Assert.That(entry.ToString(), Does.Not.Contain(CheckoutUrl));
        });
    }

    [Test]
    public async Task CreateAsync_PriceNotOffered_AuditsInvalidRequestWithoutReadingTheTenant()
    {
        var exception = await Assert.ThrowsAsync<ValidationException>(
            () => CreateService().CreateAsync(new CheckoutRequest("price_other"), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Errors.Select(error => error.PropertyName), Is.EqualTo(new[] { "priceId" }));
            Assert.That(audit.Entries.Single().Outcome, Is.EqualTo(PortalAuditOutcome.InvalidRequest));
            Assert.That(audit.Entries.Single().Details.PriceId, Is.EqualTo("price_other"));
        });
        billing.VerifyNoOtherCalls();
    }

    [Test]
    public async Task CreateAsync_NoTenant_ThrowsTenantContextMissing()
    {
        await Assert.ThrowsAsync<TenantContextMissingException>(
            () => CreateService(hasTenant: false).CreateAsync(new CheckoutRequest(PriceId), CancellationToken.None));
    }

    [Test]
    public async Task CreateAsync_StripeDoesNotKnowTheStoredCustomer_ThrowsNotFoundAndAuditsNoCustomer()
    {
        GivenStored(CustomerId);
        checkout.Setup(gateway => gateway.CreateSessionAsync(It.IsAny<CheckoutSessionParameters>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new UnknownStripeCustomerException(CustomerId, "req_missing"));

        await Assert.ThrowsAsync<StripeCustomerNotFoundException>(() => CreateService().CreateAsync(new CheckoutRequest(PriceId), CancellationToken.None));
        Assert.That(audit.Entries.Single().Outcome, Is.EqualTo(PortalAuditOutcome.NoCustomer));
    }

    [Test]
    public async Task CreateAsync_CustomerCreationFails_AuditsStripeError()
    {
        GivenStored(customerId: null);
        billing.Setup(repository => repository.GetOrCreateCustomerAsync(Tenant, It.IsAny<Func<CancellationToken, Task<string>>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new PaymentProviderException("Stripe answered 500.", "req_500"));

        await Assert.ThrowsAsync<PaymentProviderException>(() => CreateService().CreateAsync(new CheckoutRequest(PriceId), CancellationToken.None));
        Assert.That(audit.Entries.Single(), Has.Property(nameof(PortalAuditEntry.Outcome)).EqualTo(PortalAuditOutcome.StripeError)
            .And.Property(nameof(PortalAuditEntry.Details)).Property(nameof(PortalAuditDetails.StripeRequestId)).EqualTo("req_500"));
    }

    [Test]
    public async Task CreateAsync_CallerHangsUpDuringStripeCall_AuditsAbandoned()
    {
        using var hangUp = new CancellationTokenSource();
        GivenStored(CustomerId);
        checkout.Setup(gateway => gateway.CreateSessionAsync(It.IsAny<CheckoutSessionParameters>(), It.IsAny<CancellationToken>()))
            .Returns<CheckoutSessionParameters, CancellationToken>((_, token) =>
            {
                hangUp.Cancel();
                return Task.FromCanceled<CreatedCheckoutSession>(token);
            });

        await Assert.CatchAsync<OperationCanceledException>(() => CreateService().CreateAsync(new CheckoutRequest(PriceId), hangUp.Token));
        Assert.That(audit.Entries.Single().Outcome, Is.EqualTo(PortalAuditOutcome.Abandoned));
    }

    private void GivenStored(string? customerId, string? status = null) =>
        billing.Setup(repository => repository.FindAsync(Tenant, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Billing.Application.Subscriptions.TenantBilling(Tenant, customerId, status is null ? null : SubscriptionState.None(null) with { Status = status }));

    private void GivenCheckoutReturns(CreatedCheckoutSession session) =>
        checkout.Setup(gateway => gateway.CreateSessionAsync(It.IsAny<CheckoutSessionParameters>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(session);

    private CheckoutSessionService CreateService(string? email = null, string? name = null, bool hasTenant = true)
    {
        var tenant = ApplicationFixtures.CurrentTenant(hasTenant ? Tenant : null);
        var returnUrls = ApplicationFixtures.ReturnUrlPolicy();
        var options = Options.Create(new BillingOptions
        {
            Plans = [new PlanOptions { PriceId = PriceId, Name = "Team" }],
            AllowPromotionCodes = allowPromotionCodes,
        });
        var plans = new PlanCatalog(options, Mock.Of<IStripePriceGateway>(MockBehavior.Strict), NullLogger<PlanCatalog>.Instance);
        return new CheckoutSessionService(
            tenant,
            Mock.Of<ICurrentUser>(user => user.Email == email && user.Name == name),
            new CheckoutRequestValidator(plans, returnUrls),
            billing.Object,
            customers.Object,
            checkout.Object,
            returnUrls,
            options,
            ApplicationFixtures.AuditTrail(tenant, audit),
            NullLogger<CheckoutSessionService>.Instance);
    }
}
