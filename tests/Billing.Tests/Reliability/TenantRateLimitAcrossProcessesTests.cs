using System.Net;
using System.Net.Http.Headers;
using Billing.Tests.Support;

namespace Billing.Tests.Reliability;

/// <summary>
/// The per-tenant limit as deployed: three API processes behind one address would each have allowed the whole limit
/// when the count lived in memory; counted in their one database, they allow it once between them.
/// </summary>
public sealed class TenantRateLimitAcrossProcessesTests : ApiProcessesTestBase
{
    private const int PermitLimit = 5;
    private const int Requests = 30;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Post_ThirtyConcurrentPortalRequestsOverThreeProcesses_AllowsThePermitLimitInTotal()
    {
        var tenant = Guid.NewGuid();
        await TenantSeeder.UpsertAsync(ConnectionString, tenant, $"cus_{tenant:N}");
        var settings = new Dictionary<string, string?>
        {
            ["Portal:RateLimit:PermitLimit"] = PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Portal:RateLimit:WindowSeconds"] = Window.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var apis = await Task.WhenAll(StartApiAsync(settings), StartApiAsync(settings), StartApiAsync(settings));

        var answers = await Task.WhenAll(Enumerable.Range(0, Requests).Select(i => PostPortalAsync(apis[i % apis.Length], tenant)));

        var refused = answers.Where(answer => answer.Status == HttpStatusCode.TooManyRequests).ToList();
        var audit = await AuditRows.ReadAsync(ConnectionString, tenant);
        Assert.Multiple(() =>
        {
            Assert.That(answers.Count(answer => answer.Status == HttpStatusCode.OK), Is.EqualTo(PermitLimit));
            Assert.That(refused, Has.Count.EqualTo(Requests - PermitLimit));
            Assert.That(refused.Select(answer => answer.RetryAfter), Has.All.GreaterThan(TimeSpan.Zero).And.All.LessThanOrEqualTo(Window));
            Assert.That(Stripe.Requests.Count(request => request.Path == StripeFake.SessionsPath), Is.EqualTo(PermitLimit));
            Assert.That(audit.Count(row => row.Outcome == "created"), Is.EqualTo(PermitLimit));
            Assert.That(audit.Count(row => row.Outcome == "rate_limited"), Is.EqualTo(Requests - PermitLimit));
        });
    }

    private static async Task<(HttpStatusCode Status, TimeSpan? RetryAfter)> PostPortalAsync(ApiProcess api, Guid tenant)
    {
        using var client = new HttpClient { BaseAddress = api.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/subscriptions/portal");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForTenant(tenant));
        using var response = await client.SendAsync(request);
        return (response.StatusCode, response.Headers.RetryAfter?.Delta);
    }
}
