using System.Net;
using Billing.Tests.EndToEnd;
using Billing.Tests.Support;
using Npgsql;

namespace Billing.Tests.Reliability;

/// <summary>
/// The per-tenant count in PostgreSQL cannot be had while everything else in the database works: the request must
/// fail, never reach Stripe uncounted.
/// </summary>
public sealed class TenantRateLimitFaultTests : EndToEndTestBase
{
    protected override IReadOnlyDictionary<string, string?> SettingOverrides { get; } = new Dictionary<string, string?>
    {
        ["Portal:RateLimit:PermitLimit"] = "5",
        ["Database:CommandTimeoutSeconds"] = "1",
    };

    [Test]
    public async Task Post_RateLimitCountTimesOut_Returns500ProblemAndStripeIsNotCalled()
    {
        var tenant = Guid.NewGuid();
        await TenantSeeder.UpsertAsync(ConnectionString, tenant, $"cus_{tenant:N}");
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // Held until the test ends: the count's statement waits on it until the 1 s command timeout.
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE tenant_rate_limit IN ACCESS EXCLUSIVE MODE", connection, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        using var response = await PostAsync(TestTokens.ForTenant(tenant));

        await AssertProblemAsync(response, HttpStatusCode.InternalServerError, "Internal server error");
        Assert.That(Stripe.Requests, Is.Empty);
    }
}
