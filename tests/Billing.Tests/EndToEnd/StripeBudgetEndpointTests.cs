using System.Diagnostics;
using System.Net;
using Billing.Tests.Support;
using Npgsql;

namespace Billing.Tests.EndToEnd;

/// <summary>Users at Stripe's budget: one call a second, a user waiting at most 1.5 s for a turn.</summary>
public sealed class StripeBudgetEndpointTests : EndToEndTestBase
{
    private Guid tenant;

    protected override IReadOnlyDictionary<string, string?> SettingOverrides { get; } = new Dictionary<string, string?>
    {
        ["Stripe:RateLimit:RequestsPerSecond"] = "1",
        ["Stripe:RateLimit:MaxWaitMilliseconds"] = "1500",
    };

    [SetUp]
    public async Task SeedTenantAndIdleTheBudget()
    {
        tenant = Guid.NewGuid();
        await TenantSeeder.UpsertAsync(ConnectionString, tenant, $"cus_budget_{tenant:N}"[..24]);
        await ExecuteAsync("UPDATE stripe_budget SET next_slot = '-infinity', interactive_until = '-infinity', throttled_at = NULL, throttled_factor = 1");
    }

    [Test]
    public async Task Post_SecondCallWithinTheWait_WaitsForItsTurnAndSucceeds()
    {
        (await PostAsync(TestTokens.ForTenant(tenant))).Dispose();
        var elapsed = Stopwatch.StartNew();

        using var second = await PostAsync(TestTokens.ForTenant(tenant));

        Assert.Multiple(() =>
        {
            Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            // A lower bound only: it cannot fail because the machine is slow.
            Assert.That(elapsed.Elapsed, Is.GreaterThan(TimeSpan.FromSeconds(0.5)), "it waited for its turn");
            Assert.That(Stripe.Requests, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task Post_TurnFurtherAwayThanTheWait_Returns503WithRetryAfterAuditedBusyWithoutCallingStripe()
    {
        // Two turns taken: the third is more than 1.5 s away.
        await ExecuteAsync("UPDATE stripe_budget SET next_slot = clock_timestamp() + interval '2 seconds'");

        using var response = await PostAsync(TestTokens.ForTenant(tenant));

        await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "Billing is busy, try again shortly");
        Assert.Multiple(async () =>
        {
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(Stripe.Requests, Is.Empty);
            Assert.That((await AuditRowsAsync(tenant)).Single().Outcome, Is.EqualTo("stripe_busy"));
        });
    }

    [Test]
    public async Task Post_BudgetUnreadable_Returns500WithoutCallingStripe()
    {
        await ExecuteAsync("ALTER TABLE stripe_budget RENAME TO stripe_budget_away");
        try
        {
            using var response = await PostAsync(TestTokens.ForTenant(tenant));

            await AssertProblemAsync(response, HttpStatusCode.InternalServerError, "Internal server error");
            Assert.That(Stripe.Requests, Is.Empty, "no call without a turn");
        }
        finally
        {
            await ExecuteAsync("ALTER TABLE stripe_budget_away RENAME TO stripe_budget");
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
