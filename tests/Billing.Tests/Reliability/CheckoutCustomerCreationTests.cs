using System.Net;
using System.Net.Http.Headers;
using Billing.Tests.Support;

namespace Billing.Tests.Reliability;

/// <summary>
/// A tenant's Stripe customer is created once, as deployed: API processes on one database, racing first checkouts,
/// and a process killed after Stripe created the customer but before the link was stored.
/// </summary>
public sealed class CheckoutCustomerCreationTests : ApiProcessesTestBase
{
    private const string PriceId = "price_reliability_team";

    [Test]
    public async Task Post_TwentyConcurrentFirstCheckoutsOverTwoProcesses_CreateOneCustomerThatEverySessionNames()
    {
        var tenant = Guid.NewGuid();
        var apis = await Task.WhenAll(StartApiAsync(), StartApiAsync());

        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => CheckoutAsync(apis[i % 2], tenant)));

        var linked = (await TenantBilling.ReadAsync(ConnectionString, tenant))?.CustomerId;
        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(Stripe.CustomerCreations, Has.Count.EqualTo(1));
            Assert.That(Stripe.CheckoutRequests.Select(request => request.Form["customer"]).ToList(), Has.Count.EqualTo(20).And.All.EqualTo(linked));
        });
    }

    [Test]
    public async Task Post_ConcurrentFirstCheckoutsOfTwoTenants_GiveEachItsOwnCustomer()
    {
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        var apis = await Task.WhenAll(StartApiAsync(), StartApiAsync());

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => CheckoutAsync(apis[i % 2], i < 5 ? first : second)));

        var firstCustomer = (await TenantBilling.ReadAsync(ConnectionString, first))?.CustomerId;
        var secondCustomer = (await TenantBilling.ReadAsync(ConnectionString, second))?.CustomerId;
        Assert.Multiple(() =>
        {
            Assert.That(firstCustomer, Is.Not.Null.And.Not.EqualTo(secondCustomer));
            Assert.That(Stripe.Customers.Single(customer => customer.Id == firstCustomer).Metadata["tenant_id"], Is.EqualTo(first.ToString()));
            Assert.That(Stripe.Customers.Single(customer => customer.Id == secondCustomer).Metadata["tenant_id"], Is.EqualTo(second.ToString()));
        });
    }

    [Test]
    public async Task Post_ProcessKilledAfterStripeCreatedTheCustomer_NextCheckoutLinksThatSameCustomer()
    {
        var tenant = Guid.NewGuid();
        Stripe.HangCustomerUpdates();
        var crashing = await StartApiAsync();
        var abandoned = CheckoutAsync(crashing, tenant, email: "ada@example.com");
        // Created, and its email and name on the way: the process dies before it can store the link.
        await Stripe.WaitForRequestsAsync(2);
        await KillAsync(crashing);
        await Assert.CatchAsync<HttpRequestException>(() => abandoned);
        var linkedAfterCrash = (await TenantBilling.ReadAsync(ConnectionString, tenant))?.CustomerId;
        Stripe.AnswerCustomerUpdates();

        var status = await CheckoutAsync(await StartApiAsync(), tenant, email: "ada@example.com");

        var creations = Stripe.CustomerCreations;
        var customer = Stripe.Customers.Single();
        Assert.Multiple(async () =>
        {
            Assert.That(linkedAfterCrash, Is.Null);
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(creations, Has.Count.EqualTo(2));
            Assert.That(creations.Select(request => request.IdempotencyKey).Distinct().Count(), Is.EqualTo(1));
            Assert.That(customer.Email, Is.EqualTo("ada@example.com"));
            Assert.That((await TenantBilling.ReadAsync(ConnectionString, tenant))?.CustomerId, Is.EqualTo(customer.Id));
            Assert.That(Stripe.CheckoutRequests.Single().Form["customer"], Is.EqualTo(customer.Id));
        });
    }

    private static async Task<HttpStatusCode> CheckoutAsync(ApiProcess api, Guid tenant, string? email = null)
    {
        var claims = new Dictionary<string, object> { [TestTokens.TenantClaim] = tenant.ToString() };
        if (email is not null)
        {
            claims["email"] = email;
        }

        using var client = new HttpClient { BaseAddress = api.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/subscriptions/checkout")
        {
            Content = new StringContent($$"""{"priceId":"{{PriceId}}"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Create(claims));
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private Task<ApiProcess> StartApiAsync() => StartApiAsync(new Dictionary<string, string?>
    {
        ["Billing:Plans:0:PriceId"] = PriceId,
        ["Billing:Plans:0:Name"] = "Team",
        // Long enough for the hung customer update to outlive the process.
        ["Stripe:TimeoutSeconds"] = "30",
    });
}
