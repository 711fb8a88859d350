using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Billing.Tests.EndToEnd;
using Billing.Tests.Support;
using Npgsql;

namespace Billing.Tests.Reliability;

/// <summary>
/// The API on a PostgreSQL server of its own that the tests stop, start and restart under it, as an operator or a
/// failover would; the service itself is never restarted.
/// </summary>
public sealed class DatabaseFaultTests : EndToEndTestBase
{
    private const int Workers = 8;
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(2);
    private static readonly Guid Tenant = Guid.NewGuid();
    private PostgresServer.LocalCluster cluster = null!;

    protected override async Task<string> ProvideDatabaseAsync()
    {
        cluster = await PostgresServer.StartDedicatedAsync();
        return cluster.ConnectionString;
    }

    [OneTimeSetUp]
    public Task SeedTenant() => TenantSeeder.UpsertAsync(ConnectionString, Tenant, "cus_faults");

    [OneTimeTearDown]
    public void RemoveCluster() => cluster.Dispose();

    [TearDown]
    public async Task EnsureDatabaseRuns()
    {
        if (!cluster.IsRunning)
        {
            await StartDatabaseAsync();
        }
    }

    [Test]
    public async Task Post_DatabaseStopped_Returns500AtOnceAndStripeIsNotCalled()
    {
        await cluster.StopAsync();
        var elapsed = Stopwatch.StartNew();

        using var response = await PostAsync(TestTokens.ForTenant(Tenant));

        await AssertProblemAsync(response, HttpStatusCode.InternalServerError, "Internal server error");
        Assert.Multiple(() =>
        {
            // The timing is the behaviour: a refused connection fails at once, while one taken for a hang would wait
            // out the 3 s connect timeout; that timeout is the generous bound.
            Assert.That(elapsed.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)), "a refused connection needs no timeout");
            Assert.That(Stripe.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task GetReady_DatabaseStopped_Returns503()
    {
        await cluster.StopAsync();

        using var response = await Client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }

    [Test]
    public async Task Post_DatabaseStartedAgain_SucceedsWithoutRestartingTheService()
    {
        await cluster.StopAsync();
        using (var failed = await PostAsync(TestTokens.ForTenant(Tenant)))
        {
            Assert.That(failed.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        }

        await StartDatabaseAsync();
        using var response = await PostAsync(TestTokens.ForTenant(Tenant));
        using var ready = await Client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await AuditRowsAsync(Tenant))[^1].Outcome, Is.EqualTo("created"));
        });
    }

    [Test]
    public async Task Post_DatabaseRestartedMidBurst_ErrorsStopWithinSecondsAndEveryUrlHandedOutIsAudited()
    {
        var clock = Stopwatch.StartNew();
        var outcomes = new Arrivals<(TimeSpan Started, HttpStatusCode Status, string Body)>();
        using var burst = new CancellationTokenSource();
        var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (!burst.IsCancellationRequested)
            {
                var started = clock.Elapsed;
                using var response = await PostAsync(TestTokens.ForTenant(Tenant));
                outcomes.Add((started, response.StatusCode, await response.Content.ReadAsStringAsync()));
            }
        })).ToArray();

        TimeSpan back;
        try
        {
            await outcomes.WaitUntilAsync(sofar => sofar.Count(outcome => outcome.Status == HttpStatusCode.OK) >= Workers,
                "the burst to be flowing", TimeSpan.FromSeconds(30));
            await cluster.StopAsync();
            await StartDatabaseAsync();
            back = clock.Elapsed;
            await outcomes.WaitUntilAsync(
                sofar => sofar.Count(outcome => outcome.Status == HttpStatusCode.OK && outcome.Started > back + Recovery) > Workers,
                "requests started 2 s after the database was back to keep succeeding", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await burst.CancelAsync();
        }

        await Task.WhenAll(workers);

        var all = outcomes.Snapshot();
        var failures = all.Where(outcome => outcome.Status != HttpStatusCode.OK).ToArray();
        var lastFailure = failures.Length == 0 ? TimeSpan.Zero : failures.Max(failure => failure.Started);
        var created = (await AuditRowsAsync(Tenant)).Count(row => row.Outcome == "created");
        TestContext.Out.WriteLine(
            $"{all.Count} requests, {failures.Length} failed; database back at {back.TotalSeconds:0.00} s, last failure started at {lastFailure.TotalSeconds:0.00} s");
        Assert.Multiple(() =>
        {
            Assert.That(failures.Select(failure => failure.Status), Has.All.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(failures.Select(failure => ProblemBody.Parse(failure.Body).Error), Has.All.EqualTo("Internal server error"));
            // The timing is the behaviour: how soon after the restart the service recovers.
            Assert.That(lastFailure, Is.LessThan(back + Recovery), "errors stop within 2 s of the database being back");
            Assert.That(created, Is.GreaterThanOrEqualTo(all.Count(outcome => outcome.Status == HttpStatusCode.OK)), "every URL handed out has its created row");
        });
    }

    /// <summary>Starts the server again; the test's own pooled connections (for seeding and reading the audit) died with it.</summary>
    private async Task StartDatabaseAsync()
    {
        await cluster.StartAsync();
        using var stale = new NpgsqlConnection(ConnectionString);
        NpgsqlConnection.ClearPool(stale);
    }
}
