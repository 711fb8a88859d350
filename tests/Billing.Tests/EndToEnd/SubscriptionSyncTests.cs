using System.Net;
using Billing.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Billing.Tests.EndToEnd;

/// <summary>
/// What the worker makes of stored events: it treats each as a signal and stores what Stripe lists now, whatever the
/// order, links and unlinks customers, retries what fails, gives up on a poison event, and ignores what is not ours.
/// </summary>
public sealed class SubscriptionSyncTests : StripeEventTestBase
{
    private const string Updated = "customer.subscription.updated";

    private static readonly DateTimeOffset Base = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);

    [TestCase("customer.subscription.updated", "customer.subscription.created")]
    [TestCase("customer.subscription.updated", "customer.subscription.updated")]
    public async Task Process_OlderEventDeliveredAfterANewerOne_StoresWhatStripeListsNow(string newerType, string olderType)
    {
        var subscription = NewSubscription("active", Base) with { PriceId = "price_fake_pro", Quantity = 4, CancelAtPeriodEnd = true };
        var (tenant, customer) = await SeededCustomerAsync(subscription);

        // Each event's own copy of the subscription is stale ("incomplete"): only Stripe's list tells the truth.
        await DeliverOneByOneAsync(
            SubscriptionEvent(customer, newerType, Base.AddMinutes(5)),
            SubscriptionEvent(customer, olderType, Base));

        await AssertSyncedAsync(tenant, TenantBilling.SyncedFrom(customer, subscription));
    }

    [Test]
    public async Task Process_StripesStateChangesBetweenTwoEvents_StoresTheLaterState()
    {
        var before = NewSubscription("active", Base);
        var (tenant, customer) = await SeededCustomerAsync(before);
        await DeliverOneByOneAsync(SubscriptionEvent(customer, Updated, Base.AddMinutes(1)));
        var after = before with { Status = "canceled", CancelAt = Base.AddDays(2) };
        Stripe.SetSubscriptions(customer, after);

        await DeliverOneByOneAsync(SubscriptionEvent(customer, "customer.subscription.deleted", Base.AddMinutes(2)));

        await AssertSyncedAsync(tenant, TenantBilling.SyncedFrom(customer, after));
    }

    [TestCase("checkout.session.completed")]
    [TestCase("customer.subscription.created")]
    [TestCase("customer.subscription.updated")]
    [TestCase("customer.subscription.deleted")]
    [TestCase("customer.subscription.paused")]
    [TestCase("customer.subscription.resumed")]
    [TestCase("customer.subscription.trial_will_end")]
    [TestCase("invoice.paid")]
    [TestCase("invoice.payment_failed")]
    public async Task Process_EventTypeThatSyncs_AsksStripeOnceAndMarksItProcessed(string type)
    {
        var subscription = NewSubscription("active", Base);
        var (tenant, customer) = await SeededCustomerAsync(subscription);

        var stored = await DeliverOneByOneAsync(StripeWebhookSigner.Event(type, new { id = "obj_test_1", @object = "object", customer }));

        Assert.Multiple(async () =>
        {
            Assert.That(stored.Single().State, Is.EqualTo("processed"));
            Assert.That(Stripe.SubscriptionListCalls(customer), Is.EqualTo(1));
            Assert.That((await TenantBilling.ReadAsync(ConnectionString, tenant))?.SubscriptionId, Is.EqualTo(subscription.Id));
        });
    }

    [TestCaseSource(nameof(SubscriptionChoices))]
    public async Task Sync_SeveralSubscriptions_StoresTheNewestLiveOneElseTheNewest(string[] statusesOldestFirst, int chosen)
    {
        var subscriptions = statusesOldestFirst.Select((status, age) => NewSubscription(status, Base.AddDays(age))).ToArray();
        var (tenant, customer) = await SeededCustomerAsync(subscriptions);

        await DeliverOneByOneAsync(SubscriptionEvent(customer));

        await AssertSyncedAsync(tenant, TenantBilling.SyncedFrom(customer, subscriptions[chosen]));
    }

    [Test]
    public async Task Sync_CustomerWithoutSubscriptions_StoresStatusNoneAndForgetsTheOldSubscription()
    {
        var tenant = Guid.NewGuid();
        var customer = NewCustomerId();
        await TenantSeeder.UpsertAsync(ConnectionString, tenant, customer, stripeSubscriptionId: "sub_test_gone");

        await DeliverOneByOneAsync(SubscriptionEvent(customer));

        await AssertSyncedAsync(tenant, TenantBilling.NoneFor(customer));
    }

    [Test]
    public async Task Process_CustomerDeleted_UnlinksTheCustomerAndClearsTheState()
    {
        var (tenant, customer) = await SyncedCustomerAsync();

        var stored = await DeliverOneByOneAsync(StripeWebhookSigner.Event("customer.deleted", StripeWebhookSigner.DeletedCustomer(customer)));

        var billing = await TenantBilling.ReadAsync(ConnectionString, tenant);
        Assert.Multiple(() =>
        {
            Assert.That(stored.Single().State, Is.EqualTo("processed"));
            Assert.That(billing! with { SyncedAt = null }, Is.EqualTo(new TenantBilling(null, null, null, null, null, null, null, null, null, null, null)));
        });
    }

    [Test]
    public async Task PostPortal_AfterTheCustomerWasDeleted_Returns404WithoutCallingStripe()
    {
        var (tenant, customer) = await SyncedCustomerAsync();
        await DeliverOneByOneAsync(StripeWebhookSigner.Event("customer.deleted", StripeWebhookSigner.DeletedCustomer(customer)));

        using var response = await PostAsync(TestTokens.ForTenant(tenant));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "No Stripe customer found for this tenant");
        Assert.That(Stripe.Requests.Where(request => request.Path == StripeFake.SessionsPath), Is.Empty);
    }

    [TestCase(true, false)]
    [TestCase(false, false)]
    [TestCase(true, true)]
    public async Task Process_CheckoutCompletedNamingATenantWithoutCustomer_LinksTheCustomerAndSyncsIt(bool tenantHasARow, bool namedInMetadata)
    {
        var tenant = Guid.NewGuid();
        if (tenantHasARow)
        {
            await TenantSeeder.UpsertAsync(ConnectionString, tenant, stripeCustomerId: null);
        }

        var customer = NewCustomerId();
        var subscription = NewSubscription("active", Base);
        Stripe.SetSubscriptions(customer, subscription);
        var session = namedInMetadata
            ? StripeWebhookSigner.CheckoutSession(customer, clientReferenceId: null, metadataTenantId: tenant.ToString())
            : StripeWebhookSigner.CheckoutSession(customer, clientReferenceId: tenant.ToString());

        await DeliverOneByOneAsync(StripeWebhookSigner.Event("checkout.session.completed", session));

        await AssertSyncedAsync(tenant, TenantBilling.SyncedFrom(customer, subscription));
    }

    [Test]
    public async Task Process_CheckoutCompletedNamingATenantWithAnotherCustomer_KeepsTheTenantsCustomerAndState()
    {
        var (tenant, customer, _) = await DeliverConflictingCheckoutAsync();

        var billing = await TenantBilling.ReadAsync(ConnectionString, tenant);

        Assert.That(billing, Is.EqualTo(new TenantBilling(customer, null, null, null, null, null, null, null, null, null, null)));
    }

    [Test]
    public async Task Process_CheckoutCompletedNamingATenantWithAnotherCustomer_LogsAWarning()
    {
        var (tenant, _, otherCustomer) = await DeliverConflictingCheckoutAsync();

        var warning = await WaitForLogAsync(record => record.Level == LogLevel.Warning && Mentions(record, tenant.ToString()));

        Assert.That(Mentions(warning, otherCustomer), Is.True, warning.Message);
    }

    [Test]
    public async Task Process_StripeFailsTwiceDuringTheSync_RetriesAndProcessesTheEventOnTheThirdAttempt()
    {
        var subscription = NewSubscription("active", Base);
        var (tenant, customer) = await SeededCustomerAsync(subscription);
        Stripe.FailSubscriptionListsFirst(2);

        var stored = await DeliverOneByOneAsync(SubscriptionEvent(customer));

        Assert.Multiple(async () =>
        {
            Assert.That(stored.Single().State, Is.EqualTo("processed"));
            Assert.That(stored.Single().Attempts, Is.EqualTo(3));
            Assert.That(Stripe.SubscriptionListCalls(customer), Is.EqualTo(3));
            Assert.That((await TenantBilling.ReadAsync(ConnectionString, tenant))?.SubscriptionId, Is.EqualTo(subscription.Id));
        });
    }

    [Test]
    public async Task Process_StripeAlwaysFails_MarksTheEventDeadAfterTheMaximumAttempts()
    {
        var (_, customer) = await SeededCustomerAsync(NewSubscription("active", Base));
        Stripe.FailSubscriptionListsAlways();

        var stored = (await DeliverOneByOneAsync(SubscriptionEvent(customer))).Single();

        Assert.Multiple(() =>
        {
            Assert.That(stored.State, Is.EqualTo("dead"));
            Assert.That(stored.Attempts, Is.EqualTo(MaxAttempts));
            Assert.That(stored.LastError, Is.Not.Null.And.Not.Empty);
            Assert.That(Stripe.SubscriptionListCalls(customer), Is.EqualTo(MaxAttempts));
        });
    }

    [Test]
    public async Task Process_EventGoesDead_LogsAnErrorNamingIt()
    {
        var (_, customer) = await SeededCustomerAsync(NewSubscription("active", Base));
        Stripe.FailSubscriptionListsAlways();

        var eventId = (await DeliverOneByOneAsync(SubscriptionEvent(customer))).Single().Id;

        Assert.That(await WaitForLogAsync(record => record.Level == LogLevel.Error && Mentions(record, eventId)), Is.Not.Null);
    }

    [Test]
    public async Task Process_EventOfAnotherType_MarksItIgnoredWithoutAskingStripe()
    {
        var (_, customer) = await SeededCustomerAsync(NewSubscription("active", Base));

        var stored = await DeliverOneByOneAsync(StripeWebhookSigner.Event("customer.updated", new { id = customer, @object = "customer" }));

        Assert.Multiple(() =>
        {
            Assert.That(stored.Single().State, Is.EqualTo("ignored"));
            Assert.That(Stripe.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task Process_CustomerOfNoTenant_MarksItIgnoredAndSaysWhy()
    {
        var stored = (await DeliverOneByOneAsync(SubscriptionEvent(NewCustomerId()))).Single();

        Assert.Multiple(() =>
        {
            Assert.That(stored.State, Is.EqualTo("ignored"));
            Assert.That(stored.LastError, Is.Not.Null.And.Not.Empty);
        });
    }

    [Test]
    public async Task Process_Event_LogsItsIdTypeAndTenantButNeverThePayload()
    {
        var (tenant, customer) = await SeededCustomerAsync(NewSubscription("active", Base));
        var canary = $"canary_{Guid.NewGuid():N}";
        var body = StripeWebhookSigner.Event(Updated, new { id = "sub_test_logged", @object = "subscription", customer, metadata = new { note = canary } });

        var eventId = (await DeliverOneByOneAsync(body)).Single().Id;

        await WaitForLogAsync(record => Mentions(record, eventId) && Mentions(record, Updated) && Mentions(record, tenant.ToString()));
        Assert.That(Factory.Logs.GetSnapshot().Where(record => Mentions(record, canary)), Is.Empty);
    }

    private static IEnumerable<TestCaseData> SubscriptionChoices()
    {
        yield return Choice("active beats a newer canceled", 0, "active", "canceled");
        yield return Choice("trialing beats a newer canceled", 0, "trialing", "canceled");
        yield return Choice("past_due beats a newer canceled", 0, "past_due", "canceled");
        yield return Choice("unpaid beats a newer canceled", 0, "unpaid", "canceled");
        yield return Choice("paused beats a newer canceled", 0, "paused", "canceled");
        yield return Choice("active beats a newer incomplete", 1, "canceled", "active", "incomplete");
        yield return Choice("the newest of several active", 1, "active", "active", "canceled");
        yield return Choice("the newest live whatever its status", 1, "active", "trialing");
        yield return Choice("none live: the newest of all", 1, "canceled", "incomplete_expired");
    }

    private static TestCaseData Choice(string name, int chosen, params string[] statusesOldestFirst) =>
        new TestCaseData(statusesOldestFirst, chosen).SetArgDisplayNames(name);

    private static string SubscriptionEvent(string customer, string type = Updated, DateTimeOffset? created = null) =>
        StripeWebhookSigner.Event(type, StripeWebhookSigner.Subscription(customer), created: created);

    /// <summary>Delivers each event once the one before it is done with, and returns them as stored in the end.</summary>
    private async Task<IReadOnlyList<StoredStripeEvent>> DeliverOneByOneAsync(params string[] bodies)
    {
        var stored = new List<StoredStripeEvent>();
        foreach (var body in bodies)
        {
            stored.Add(await WaitForEventAsync(await DeliverAsync(body), Done));
        }

        return stored;
    }

    private async Task AssertSyncedAsync(Guid tenant, TenantBilling expected)
    {
        var billing = await TenantBilling.ReadAsync(ConnectionString, tenant);
        Assert.Multiple(() =>
        {
            Assert.That(billing! with { SyncedAt = null }, Is.EqualTo(expected));
            Assert.That(billing.SyncedAt, Is.Not.Null);
        });
    }

    /// <summary>A tenant whose customer has an active subscription, synced once.</summary>
    private async Task<(Guid Tenant, string Customer)> SyncedCustomerAsync()
    {
        var (tenant, customer) = await SeededCustomerAsync(NewSubscription("active", Base));
        await DeliverOneByOneAsync(SubscriptionEvent(customer));
        Assert.That((await TenantBilling.ReadAsync(ConnectionString, tenant))?.Status, Is.EqualTo("active"), "synced before the test");
        return (tenant, customer);
    }

    /// <summary>A completed Checkout for a new customer that names a tenant already linked to a customer of its own.</summary>
    private async Task<(Guid Tenant, string Customer, string OtherCustomer)> DeliverConflictingCheckoutAsync()
    {
        var (tenant, customer) = await SeededCustomerAsync(NewSubscription("active", Base));
        var otherCustomer = NewCustomerId();
        Stripe.SetSubscriptions(otherCustomer, NewSubscription("active", Base.AddDays(1)));
        await DeliverOneByOneAsync(StripeWebhookSigner.Event("checkout.session.completed",
            StripeWebhookSigner.CheckoutSession(otherCustomer, clientReferenceId: tenant.ToString())));
        return (tenant, customer, otherCustomer);
    }
}
