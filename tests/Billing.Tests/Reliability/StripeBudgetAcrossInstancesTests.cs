using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Billing.Tests.Support;

namespace Billing.Tests.Reliability;

/// <summary>
/// One Stripe budget for three API processes on one database: whatever the demand, Stripe never sees more calls in
/// a second than the budget allows, users beyond it are told to come back, and a 429 slows every process down.
/// </summary>
public sealed class StripeBudgetAcrossInstancesTests : ApiProcessesTestBase
{
    // One client and one token per tenant: the test's own work must not be what delays calls on a 2-core machine.
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(30) };
    private static readonly ConcurrentDictionary<Guid, string> Tokens = new();

    [Test]
    public async Task Post_ThreeProcessesAtTenTimesTheBudget_StripeSeesAtMostTheBudgetInAnySecondAndTheRestGet503()
    {
        var tenants = await SeededTenantsAsync(10);
        var apis = await StartApisAsync(requestsPerSecond: 5, maxWaitMilliseconds: 1000);

        // Ten times the budget for three seconds: ten requests every 200 ms, spread over the processes.
        var sending = new List<Task<(HttpStatusCode Status, TimeSpan? RetryAfter)>>();
        for (var tick = 0; tick < 15; tick++)
        {
            sending.AddRange(Enumerable.Range(0, 10).Select(i => PostPortalAsync(apis[(tick + i) % 3], tenants[i])));
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        var answers = await Task.WhenAll(sending);

        Assert.Multiple(() =>
        {
            Assert.That(MostCallsInAnySecond(Stripe.Requests), Is.LessThanOrEqualTo(5));
            Assert.That(answers.Select(answer => answer.Status), Is.All.EqualTo(HttpStatusCode.OK).Or.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(answers.Count(answer => answer.Status == HttpStatusCode.OK), Is.EqualTo(Stripe.Requests.Count).And.GreaterThanOrEqualTo(5));
            Assert.That(answers.Where(answer => answer.Status == HttpStatusCode.ServiceUnavailable).Select(answer => answer.RetryAfter),
                Is.Not.Empty.And.All.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public async Task Post_StripeAnswers429ToOneProcess_TheOthersHalveTheirRate()
    {
        var tenants = await SeededTenantsAsync(5);
        var apis = await StartApisAsync(requestsPerSecond: 20, maxWaitMilliseconds: 10_000);
        Stripe.FailFirst(1, 429, "rate_limit_error");

        var throttled = await PostPortalAsync(apis[0], tenants[0]);
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => PostPortalAsync(apis[1 + (i % 2)], tenants[i % 5])));

        Assert.Multiple(() =>
        {
            Assert.That(throttled.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(answers.Select(answer => answer.Status), Is.All.EqualTo(HttpStatusCode.OK));
            // 20 calls take 19 turns' spacing: about 1.06 s at the full rate (with its headroom), 2.1 s at half of it.
            Assert.That(Span(Stripe.Requests.Skip(1).ToList()), Is.GreaterThan(TimeSpan.FromSeconds(1.6)));
        });
    }

    private static TimeSpan Span(IReadOnlyList<StripeRequest> requests) =>
        requests.Max(request => request.ReceivedAt) - requests.Min(request => request.ReceivedAt);

    private static int MostCallsInAnySecond(IReadOnlyList<StripeRequest> requests)
    {
        var times = requests.Select(request => request.ReceivedAt).Order().ToArray();
        return times.Select((start, i) => times.Skip(i).TakeWhile(time => time - start < TimeSpan.FromSeconds(1)).Count()).DefaultIfEmpty(0).Max();
    }

    private async Task<Guid[]> SeededTenantsAsync(int count)
    {
        var tenants = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var tenant in tenants)
        {
            await TenantSeeder.UpsertAsync(ConnectionString, tenant, $"cus_{tenant:N}"[..20]);
        }

        return tenants;
    }

    private async Task<ApiProcess[]> StartApisAsync(int requestsPerSecond, int maxWaitMilliseconds)
    {
        var warmUpTenant = (await SeededTenantsAsync(1))[0];
        var settings = new Dictionary<string, string?>
        {
            ["Stripe:RateLimit:RequestsPerSecond"] = requestsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Stripe:RateLimit:MaxWaitMilliseconds"] = maxWaitMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Stripe:TimeoutSeconds"] = "15",
        };
        var apis = await Task.WhenAll(StartApiAsync(settings), StartApiAsync(settings), StartApiAsync(settings));
        // Warm, as deployed instances are: three processes compiling their first Stripe call at once would hold the
        // machine's two cores, and calls would reach the fake in a bunch whatever their turns were.
        foreach (var api in apis)
        {
            await PostPortalAsync(api, warmUpTenant);
        }

        // The refusal too: the budget's turn a minute away.
        await ExecuteAsync("UPDATE stripe_budget SET next_slot = clock_timestamp() + interval '1 minute'");
        foreach (var api in apis)
        {
            await PostPortalAsync(api, warmUpTenant);
        }

        Stripe.Reset();
        // The budget is the database's: a test starts from an idle one, whatever came before.
        await ExecuteAsync("UPDATE stripe_budget SET next_slot = '-infinity', interactive_until = '-infinity', throttled_at = NULL, throttled_factor = 1");
        return apis;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<(HttpStatusCode Status, TimeSpan? RetryAfter)> PostPortalAsync(ApiProcess api, Guid tenant)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api.BaseAddress, "/api/subscriptions/portal"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.GetOrAdd(tenant, id => TestTokens.ForTenant(id)));
        using var response = await Client.SendAsync(request);
        return (response.StatusCode, response.Headers.RetryAfter?.Delta);
    }
}
