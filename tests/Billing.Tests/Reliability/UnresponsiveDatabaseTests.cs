using System.Diagnostics;
using System.Net;
using Billing.Tests.EndToEnd;
using Billing.Tests.Support;

namespace Billing.Tests.Reliability;

/// <summary>
/// PostgreSQL's host accepts the connection and then hangs. The wait is bounded by Database:ConnectTimeoutSeconds
/// (1 s here, 3 s by default), not Npgsql's 15 s, and a timed-out lookup is not retried.
/// </summary>
public sealed class UnresponsiveDatabaseTests : EndToEndTestBase
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(3);
    private readonly SilentTcpServer database = SilentTcpServer.Start();

    protected override IReadOnlyDictionary<string, string?> SettingOverrides { get; } = new Dictionary<string, string?>
    {
        ["Database:MigrateOnStartup"] = "false",
        ["Database:ConnectTimeoutSeconds"] = "1",
    };

    protected override Task<string> ProvideDatabaseAsync() =>
        Task.FromResult($"Host=127.0.0.1;Port={database.Port};Username=billing;Database=billing");

    [OneTimeTearDown]
    public void StopDatabase() => database.Dispose();

    [Test]
    public async Task Post_DatabaseHangs_Returns500AfterOneConnectTimeoutAndStripeIsNotCalled()
    {
        var elapsed = Stopwatch.StartNew();

        using var response = await PostAsync(TestTokens.ForTenant(Guid.NewGuid()));

        await AssertProblemAsync(response, HttpStatusCode.InternalServerError, "Internal server error");
        Assert.Multiple(() =>
        {
            // The timing is the behaviour: the wait is the configured 1 s, well short of the 3 s default (the generous bound).
            Assert.That(elapsed.Elapsed, Is.GreaterThanOrEqualTo(ConnectTimeout * 0.9).And.LessThan(DefaultConnectTimeout));
            Assert.That(Factory.Logs.GetSnapshot().Select(record => record.Message), Has.None.Contains("retrying once"), "a timed-out lookup is not retried");
            Assert.That(Stripe.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task GetReady_DatabaseHangs_Returns503WithinTheConnectTimeout()
    {
        var elapsed = Stopwatch.StartNew();

        using var response = await Client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            // The timing is the behaviour: the probe gives up after the configured 1 s, well short of the 3 s default.
            Assert.That(elapsed.Elapsed, Is.LessThan(DefaultConnectTimeout));
        });
    }
}
