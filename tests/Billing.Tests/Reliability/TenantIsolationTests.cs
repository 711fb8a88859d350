using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Billing.Tests.EndToEnd;
using Billing.Tests.Support;
using Npgsql;

namespace Billing.Tests.Reliability;

/// <summary>
/// Several tenants hammering the endpoint at once, some naming another tenant or customer in the body or the query
/// string: every URL, every Stripe request and every audit row belongs to the caller's own tenant.
/// </summary>
public sealed class TenantIsolationTests : EndToEndTestBase
{
    private const int RequestCount = 400;
    private const int Concurrency = 32;

    private static readonly (Guid Tenant, string Customer)[] Tenants =
        Enumerable.Range(1, 4).Select(n => (Guid.NewGuid(), $"cus_isolation_{n}")).ToArray();

    [OneTimeSetUp]
    public async Task SeedTenants()
    {
        foreach (var (tenant, customer) in Tenants)
        {
            await TenantSeeder.UpsertAsync(ConnectionString, tenant, customer);
        }
    }

    [Test]
    public async Task Post_TenantsInterleavedConcurrently_EveryUrlStripeRequestAndAuditRowBelongsToTheCaller()
    {
        var plan = Enumerable.Range(0, RequestCount).Select(PlannedRequest.For).ToArray();

        var results = new Result[plan.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, plan.Length), new ParallelOptions { MaxDegreeOfParallelism = Concurrency },
            async (index, cancellationToken) => results[index] = await SendAsync(plan[index], cancellationToken));

        var audit = await AuditByTenantAsync();
        Assert.Multiple(() =>
        {
            foreach (var (request, result) in plan.Zip(results))
            {
                Assert.That(result.Status, Is.EqualTo(request.NamesAnotherTenantInTheBody ? HttpStatusCode.BadRequest : HttpStatusCode.OK), request.ToString());
                if (result.Url is not null)
                {
                    Assert.That(Stripe.CustomerBySessionUrl[result.Url], Is.EqualTo(request.Caller.Customer), request.ToString());
                }
            }

            Assert.That(Stripe.Requests, Has.Count.EqualTo(results.Count(result => result.Url is not null)));
            foreach (var (tenant, customer) in Tenants)
            {
                var sent = plan.Zip(results).Where(pair => pair.First.Caller.Tenant == tenant).ToArray();
                var rows = audit.GetValueOrDefault(tenant, []);
                Assert.That(rows.Where(row => row.Outcome == "created").Select(row => row.SessionId),
                    Is.EquivalentTo(sent.Where(pair => pair.Second.Url is not null).Select(pair => SessionIdOf(pair.Second.Url!))), $"created rows of {customer}");
                Assert.That(rows.Where(row => row.Outcome == "created").Select(row => row.Customer), Has.All.EqualTo(customer));
                Assert.That(rows.Count(row => row.Outcome == "invalid_request"), Is.EqualTo(sent.Count(pair => pair.First.NamesAnotherTenantInTheBody)));
                Assert.That(rows, Has.Count.EqualTo(sent.Length));
            }
        });
    }

    private string SessionIdOf(string url) => Stripe.Store.PortalSessions.Single(session => session.Url == url).Id;

    private async Task<Result> SendAsync(PlannedRequest planned, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint + planned.Query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForTenant(planned.Caller.Tenant));
        request.Content = new StringContent(planned.Body, new MediaTypeHeaderValue("application/json"));
        using var response = await Client.SendAsync(request, cancellationToken);
        var url = response.StatusCode == HttpStatusCode.OK
            ? (await response.Content.ReadFromJsonAsync<Dictionary<string, string>>(cancellationToken))!["url"]
            : null;
        return new Result(response.StatusCode, url);
    }

    private async Task<Dictionary<Guid, List<AuditRow>>> AuditByTenantAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT tenant_id, outcome, stripe_customer_id, portal_session_id FROM billing_portal_audit", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<Guid, List<AuditRow>>();
        while (await reader.ReadAsync())
        {
            var tenant = reader.GetGuid(0);
            rows.TryAdd(tenant, []);
            rows[tenant].Add(new AuditRow(reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return rows;
    }

    private sealed record AuditRow(string Outcome, string? Customer, string? SessionId);

    private sealed record Result(HttpStatusCode Status, string? Url);

    /// <summary>
    /// Request <c>n</c> of the run: callers rotate through the tenants; every third names the next tenant and its
    /// customer in the query string (ignored), every seventh in the body (refused as unknown members).
    /// </summary>
    private sealed record PlannedRequest((Guid Tenant, string Customer) Caller, string Query, string Body, bool NamesAnotherTenantInTheBody)
    {
        public static PlannedRequest For(int n)
        {
            var caller = Tenants[n % Tenants.Length];
            var other = Tenants[(n + 1) % Tenants.Length];
            var query = n % 3 == 0 ? $"?tenantId={other.Tenant}&customer={other.Customer}&tenant_id={other.Tenant}" : string.Empty;
            var namesOther = n % 7 == 0;
            var body = namesOther ? $$"""{"tenantId":"{{other.Tenant}}","customer":"{{other.Customer}}"}""" : "{}";
            return new PlannedRequest(caller, query, body, namesOther);
        }
    }
}
