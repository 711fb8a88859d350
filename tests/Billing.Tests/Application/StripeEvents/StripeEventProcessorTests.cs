using System.Text.Json;
using Billing.Application.Common.Exceptions;
using Billing.Application.StripeEvents;
using Billing.Application.Subscriptions;
using Billing.Domain.Tenants;
using Billing.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Moq;

namespace Billing.Tests.Application.StripeEvents;

public sealed class StripeEventProcessorTests
{
    private static readonly TenantId Tenant = new(Guid.Parse("2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d"));
    private static readonly TenantId OtherTenant = new(Guid.Parse("8f7e6d5c-4b3a-4291-8f0e-d1c2b3a4f5e6"));
    private const string CustomerId = "cus_Events1";
    private const string EventId = "evt_Processor1";
    private const string SubscriptionUpdated = "customer.subscription.updated";
    private const string CheckoutCompleted = "checkout.session.completed";

    private Mock<ITenantBillingRepository> billing = null!;
    private Mock<IStripeSubscriptionGateway> gateway = null!;
    private FakeLogger<StripeEventProcessor> logger = null!;

    [SetUp]
    public void SetUp()
    {
        billing = new Mock<ITenantBillingRepository>(MockBehavior.Strict);
        gateway = new Mock<IStripeSubscriptionGateway>(MockBehavior.Strict);
        logger = new FakeLogger<StripeEventProcessor>();
    }

    [Test]
    public async Task ProcessAsync_CustomerDeletedOfATenant_UnlinksItAndIsDoneForThatTenant()
    {
        billing.Setup(b => b.UnlinkCustomerAsync(CustomerId, It.IsAny<CancellationToken>())).ReturnsAsync(Tenant);

        var outcome = await Process("customer.deleted", StripeWebhookSigner.DeletedCustomer(CustomerId));

        Assert.That(outcome, Is.EqualTo(StripeEventOutcome.Done(Tenant)));
        billing.Verify(b => b.UnlinkCustomerAsync(CustomerId, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task ProcessAsync_CustomerDeletedOfNoTenant_IsIgnored()
    {
        billing.Setup(b => b.UnlinkCustomerAsync(CustomerId, It.IsAny<CancellationToken>())).ReturnsAsync((TenantId?)null);

        var outcome = await Process("customer.deleted", StripeWebhookSigner.DeletedCustomer(CustomerId));

        Assert.That(outcome, Is.EqualTo(StripeEventOutcome.Ignore("the customer belongs to no tenant")));
    }

    [Test]
    public async Task ProcessAsync_CustomerDeletedWithoutAnId_IsIgnoredWithoutTouchingTheRepository()
    {
        var outcome = await Process("customer.deleted", new { @object = "customer", deleted = true });

        Assert.That(outcome, Is.EqualTo(StripeEventOutcome.Ignore("the customer belongs to no tenant")));
        billing.VerifyNoOtherCalls();
    }

    [Test]
    public async Task ProcessAsync_CustomerDeleted_DoesNotAskStripe()
    {
        billing.Setup(b => b.UnlinkCustomerAsync(CustomerId, It.IsAny<CancellationToken>())).ReturnsAsync(Tenant);

        await Process("customer.deleted", StripeWebhookSigner.DeletedCustomer(CustomerId));

        gateway.VerifyNoOtherCalls();
    }

    [TestCase("customer.created")]
    [TestCase("invoice.created")]
    [TestCase("checkout.session.expired")]
    public async Task ProcessAsync_TypeNotActedOn_IsIgnoredWithoutTouchingRepositoryOrStripe(string type)
    {
        var outcome = await Process(type, StripeWebhookSigner.Subscription(CustomerId));

        Assert.That(outcome, Is.EqualTo(StripeEventOutcome.Ignore("not a type this service acts on")));
        billing.VerifyNoOtherCalls();
        gateway.VerifyNoOtherCalls();
    }

    [TestCase("""{"id":"sub_1","object":"subscription"}""")]
    [TestCase("""{"id":"sub_1","customer":null}""")]
    [TestCase("""{"id":"sub_1","customer":""}""")]
    [TestCase("""{"id":"sub_1","customer":42}""")]
    [TestCase("""{"id":"sub_1","customer":{"object":"customer"}}""")]
    [TestCase("""{"id":"sub_1","customer":{"id":""}}""")]
    public async Task ProcessAsync_NamesNoCustomer_IsIgnoredWithoutTouchingRepositoryOrStripe(string dataObject)
    {
        var outcome = await Process(SubscriptionUpdated, JsonSerializer.Deserialize<JsonElement>(dataObject));

        Assert.That(outcome, Is.EqualTo(StripeEventOutcome.Ignore("names no customer")));
        billing.VerifyNoOtherCalls();
        gateway.VerifyNoOtherCalls();
    }

    [TestCase("customer.subscription.created")]
    [TestCase("customer.subscription.updated")]
    [TestCase("customer.subscription.deleted")]
    [TestCase("customer.subscription.paused")]
    [TestCase("customer.subscription.resumed")]
    [TestCase("customer.subscription.trial_will_end")]
    [TestCase("invoice.paid")]
    [TestCase("invoice.payment_failed")]
    public async Task ProcessAsync_SyncTypeForACustomerOfATenant_SyncsTheTenantAndIsDone(string type)
    {
        GivenCustomerOf(Tenant);
        GivenStripeLists();

        var outcome = await Process(type, StripeWebhookSigner.Subscription(CustomerId));

        Assert.That(outcome, Is.EqualTo(StripeEventOutcome.Done(Tenant)));
        VerifySaved(Tenant, CustomerId);
    }

    [Test]
    public async Task ProcessAsync_CustomerExpanded_ReadsTheCustomerFromItsId()
    {
        GivenCustomerOf(Tenant);
        GivenStripeLists();

        var outcome = await Process(SubscriptionUpdated, new { id = "sub_1", customer = new { id = CustomerId, @object = "customer" } });

        Assert.That(outcome, Is.EqualTo(StripeEventOutcome.Done(Tenant)));
        VerifySaved(Tenant, CustomerId);
    }

    [Test]
    public async Task ProcessAsync_CustomerOfNoTenant_IsIgnoredWithoutAskingStripe()
    {
        GivenCustomerOf(null);

        var outcome = await Process(SubscriptionUpdated, StripeWebhookSigner.Subscription(CustomerId));

        Assert.That(outcome, Is.EqualTo(StripeEventOutcome.Ignore("the customer belongs to no tenant")));
        gateway.VerifyNoOtherCalls();
    }

    [Test]
    public async Task ProcessAsync_StripeDoesNotKnowTheCustomer_IsIgnoredForTheTenant()
    {
        GivenCustomerOf(Tenant);
        GivenStripeThrows(new UnknownStripeCustomerException(CustomerId, "req_gone"));

        var outcome = await Process(SubscriptionUpdated, StripeWebhookSigner.Subscription(CustomerId));

        Assert.That(outcome, Is.EqualTo(StripeEventOutcome.Ignore("Stripe does not know the customer", Tenant)));
    }

    [Test]
    public async Task ProcessAsync_StripeDoesNotKnowTheCustomer_LogsAWarningThatTheStoredIdIsStale()
    {
        GivenCustomerOf(Tenant);
        GivenStripeThrows(new UnknownStripeCustomerException(CustomerId, "req_gone"));

        await Process(SubscriptionUpdated, StripeWebhookSigner.Subscription(CustomerId));

        StaleCustomerWarning.AssertIs(logger.LatestRecord, Tenant, CustomerId, "req_gone");
    }

    [Test]
    public async Task ProcessAsync_StripeFails_LetsTheFailureThroughForARetry()
    {
        GivenCustomerOf(Tenant);
        var failure = new PaymentProviderException("Stripe answered 500", "req_500");
        GivenStripeThrows(failure);

        var exception = await Assert.ThrowsAsync<PaymentProviderException>(
            () => Process(SubscriptionUpdated, StripeWebhookSigner.Subscription(CustomerId)));

        Assert.That(exception, Is.SameAs(failure));
    }

    [Test]
    public async Task ProcessAsync_CheckoutCompletedForATenantWithoutCustomer_LinksTheCustomerThenSyncsTheTenant()
    {
        // The customer belongs to the tenant only once it is linked, as in the database.
        var linked = false;
        billing.Setup(b => b.LinkCustomerAsync(Tenant, CustomerId, It.IsAny<CancellationToken>()))
            .Callback(() => linked = true)
            .ReturnsAsync(CustomerLink.Linked);
        billing.Setup(b => b.FindTenantByCustomerAsync(CustomerId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => linked ? Tenant : (TenantId?)null);
        GivenSaves();
        GivenStripeLists();

        var outcome = await Process(CheckoutCompleted, StripeWebhookSigner.CheckoutSession(CustomerId, Tenant.ToString()));

        Assert.That(outcome, Is.EqualTo(StripeEventOutcome.Done(Tenant)));
    }

    [Test]
    public async Task ProcessAsync_CheckoutCompletedWithClientReferenceId_LinksToThatTenantRatherThanTheMetadatasOne()
    {
        GivenCheckoutFlow(CustomerLink.Linked);

        await Process(CheckoutCompleted, StripeWebhookSigner.CheckoutSession(CustomerId, Tenant.ToString(), OtherTenant.ToString()));

        VerifyLinkedTo(Tenant);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("order-17")]
    [TestCase("00000000-0000-0000-0000-000000000000")]
    public async Task ProcessAsync_CheckoutCompletedWithoutATenantInClientReferenceId_LinksToTheMetadatasTenant(string? clientReferenceId)
    {
        GivenCheckoutFlow(CustomerLink.Linked);

        await Process(CheckoutCompleted, StripeWebhookSigner.CheckoutSession(CustomerId, clientReferenceId, Tenant.ToString()));

        VerifyLinkedTo(Tenant);
    }

    [TestCase(null, null)]
    [TestCase("order-17", "tenant-9")]
    public async Task ProcessAsync_CheckoutCompletedNamingNoTenant_LinksNothing(string? clientReferenceId, string? metadataTenantId)
    {
        GivenCustomerOf(null);

        var outcome = await Process(CheckoutCompleted, StripeWebhookSigner.CheckoutSession(CustomerId, clientReferenceId, metadataTenantId));

        Assert.That(outcome, Is.EqualTo(StripeEventOutcome.Ignore("the customer belongs to no tenant")));
        billing.Verify(b => b.LinkCustomerAsync(It.IsAny<TenantId>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task ProcessAsync_CheckoutCompletedWithMetadataThatIsNotAnObject_LinksNothing()
    {
        GivenCustomerOf(null);

        var outcome = await Process(CheckoutCompleted, new { id = "cs_1", customer = CustomerId, metadata = Tenant.ToString() });

        Assert.That(outcome, Is.EqualTo(StripeEventOutcome.Ignore("the customer belongs to no tenant")));
        billing.Verify(b => b.LinkCustomerAsync(It.IsAny<TenantId>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [TestCase(CustomerLink.TenantHasAnotherCustomer)]
    [TestCase(CustomerLink.CustomerHasAnotherTenant)]
    public async Task ProcessAsync_CheckoutCompletedButNotLinked_WarnsThatAPersonMustDecide(CustomerLink conflict)
    {
        GivenCheckoutFlow(conflict);

        await Process(CheckoutCompleted, StripeWebhookSigner.CheckoutSession(CustomerId, Tenant.ToString()));

        var record = logger.LatestRecord;
        Assert.Multiple(() =>
        {
            Assert.That(record.Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(record.Message,
                Does.Contain(EventId).And.Contain(Tenant.ToString()).And.Contain(CustomerId)
                    .And.Contain(conflict.ToString()).And.Contain("a person must decide"));
        });
    }

    [TestCase(CustomerLink.Linked)]
    [TestCase(CustomerLink.AlreadyLinked)]
    public async Task ProcessAsync_CheckoutCompletedAndLinked_LogsNothing(CustomerLink link)
    {
        GivenCheckoutFlow(link);

        await Process(CheckoutCompleted, StripeWebhookSigner.CheckoutSession(CustomerId, Tenant.ToString()));

        Assert.That(logger.Collector.GetSnapshot(), Is.Empty);
    }

    [Test]
    public async Task ProcessAsync_SubscriptionEventNamingATenant_LinksNothing()
    {
        GivenCustomerOf(Tenant);
        GivenStripeLists();

        await Process(SubscriptionUpdated, StripeWebhookSigner.CheckoutSession(CustomerId, OtherTenant.ToString(), OtherTenant.ToString()));

        billing.Verify(b => b.LinkCustomerAsync(It.IsAny<TenantId>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    /// <summary>Processes a stored event of <paramref name="type"/> whose <c>data.object</c> is <paramref name="dataObject"/> as JSON.</summary>
    private Task<StripeEventOutcome> Process(string type, object dataObject)
    {
        var processor = new StripeEventProcessor(billing.Object, ApplicationFixtures.SubscriptionSync(gateway.Object, billing.Object), logger);
        var stored = new StripeEvent(EventId, type, DateTimeOffset.UnixEpoch, StripeWebhookSigner.Event(type, dataObject, EventId));
        return processor.ProcessAsync(stored, CancellationToken.None);
    }

    private void GivenCustomerOf(TenantId? tenantId)
    {
        billing.Setup(b => b.FindTenantByCustomerAsync(CustomerId, It.IsAny<CancellationToken>())).ReturnsAsync(tenantId);
        GivenSaves();
    }

    private void GivenSaves() =>
        billing.Setup(b => b.SaveStateAsync(It.IsAny<TenantId>(), It.IsAny<string>(), It.IsAny<SubscriptionState>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(true);

    private void GivenStripeLists() =>
        gateway.Setup(g => g.ListAsync(CustomerId, It.IsAny<CancellationToken>())).ReturnsAsync(Array.Empty<StripeSubscription>());

    private void GivenStripeThrows(Exception exception) =>
        gateway.Setup(g => g.ListAsync(CustomerId, It.IsAny<CancellationToken>())).ThrowsAsync(exception);

    private void GivenCheckoutFlow(CustomerLink link)
    {
        billing.Setup(b => b.LinkCustomerAsync(It.IsAny<TenantId>(), CustomerId, It.IsAny<CancellationToken>())).ReturnsAsync(link);
        GivenCustomerOf(Tenant);
        GivenStripeLists();
    }

    private void VerifyLinkedTo(TenantId tenantId) =>
        billing.Verify(b => b.LinkCustomerAsync(tenantId, CustomerId, It.IsAny<CancellationToken>()), Times.Once);

    private void VerifySaved(TenantId tenantId, string customerId) =>
        billing.Verify(b => b.SaveStateAsync(tenantId, customerId, It.IsAny<SubscriptionState>(), It.IsAny<CancellationToken>()), Times.Once);
}
