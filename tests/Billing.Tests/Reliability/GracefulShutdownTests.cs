using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Billing.Tests.Support;

namespace Billing.Tests.Reliability;

/// <summary>
/// The deployed API (its own process, one per test) told to stop with SIGTERM while portal requests wait on Stripe:
/// requests that finish within the shutdown timeout end with 200 and their audit rows, and the process exits
/// cleanly within that timeout even when Stripe never answers.
/// </summary>
[Category("Integration")]
public sealed class GracefulShutdownTests
{
    private const int InFlight = 5;
    private static readonly TimeSpan StripeDelay = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(4);

    private string connectionString = null!;
    private StripeFake stripe = null!;
    private ApiProcess api = null!;
    private Guid tenant;

    [OneTimeSetUp]
    public async Task StartDependencies()
    {
        connectionString = await PostgresServer.CreateDatabaseAsync();
        stripe = await StripeFake.StartAsync();
    }

    [SetUp]
    public async Task StartApiProcess()
    {
        stripe.Reset();
        api = await ApiProcess.StartAsync(BillingApiFactory.Settings(connectionString, stripe.BaseUrl, new Dictionary<string, string?>
        {
            ["Stripe:TimeoutSeconds"] = "10",
            ["ShutdownTimeoutSeconds"] = ShutdownTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
        tenant = Guid.NewGuid();
        await TenantSeeder.UpsertAsync(connectionString, tenant, "cus_shutdown");
    }

    [TearDown]
    public async Task StopApiProcess() => await api.DisposeAsync();

    [OneTimeTearDown]
    public async Task StopDependencies()
    {
        await stripe.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(connectionString);
    }

    [Test]
    public async Task Sigterm_WhileRequestsWaitOnStripe_TheyFinishWith200AndAuditRowsAndTheProcessExitsCleanly()
    {
        stripe.RespondAfter(StripeDelay);
        using var client = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var requests = Enumerable.Range(0, InFlight).Select(_ => PostPortalAsync(client, tenant)).ToArray();
        await stripe.WaitForRequestsAsync(InFlight);

        var stopping = Stopwatch.StartNew();
        var exitCode = await api.TerminateAsync(ShutdownTimeout + TimeSpan.FromSeconds(5));
        var statuses = await Task.WhenAll(requests);

        Assert.Multiple(async () =>
        {
            Assert.That(statuses, Has.All.EqualTo(HttpStatusCode.OK));
            Assert.That((await AuditRows.ReadAsync(connectionString, tenant)).Select(row => row.Outcome), Is.EqualTo(Enumerable.Repeat("created", InFlight)));
            Assert.That(exitCode, Is.EqualTo(0));
            // The timing is the behaviour: the process ends when its last request does (about StripeDelay after SIGTERM),
            // not when the shutdown timeout runs out; the 2.5 s between the two is the margin.
            Assert.That(stopping.Elapsed, Is.LessThan(ShutdownTimeout), "it waited for the requests, not for the timeout");
            Assert.That(api.Output, Has.Some.Contains("Application is shutting down"));
        });
    }

    [Test]
    public async Task Sigterm_WhileStripeNeverAnswers_ProcessExitsCleanlyWhenTheShutdownTimeoutEnds()
    {
        stripe.Hang();
        using var client = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var request = PostPortalAsync(client, tenant);
        await stripe.WaitForRequestsAsync(1);

        var stopping = Stopwatch.StartNew();
        var exitCode = await api.TerminateAsync(ShutdownTimeout + TimeSpan.FromSeconds(5));
        var callerAnswered = await CompletesWithinAsync(request, TimeSpan.FromSeconds(5));

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(0));
            // The timing is the behaviour: the process gives up on the hanging request when the shutdown timeout ends,
            // neither before it nor when the 10 s Stripe timeout would have ended the request.
            Assert.That(stopping.Elapsed, Is.GreaterThanOrEqualTo(ShutdownTimeout * 0.9).And.LessThan(ShutdownTimeout + TimeSpan.FromSeconds(3)));
            Assert.That(callerAnswered, Is.True, "the caller is not left hanging");
        });
    }

    private static async Task<HttpStatusCode> PostPortalAsync(HttpClient client, Guid tenant)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/subscriptions/portal");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForTenant(tenant));
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Whether <paramref name="task"/> ends (in any way) within <paramref name="timeout"/>.</summary>
    private static async Task<bool> CompletesWithinAsync(Task task, TimeSpan timeout)
    {
        try
        {
            // WhenAny's task completes when the given one does, and never faults itself.
            await Task.WhenAny(task).WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
