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
            Assert.That(elapsed.Elapsed, Is.GreaterThanOrEqualTo(ConnectTimeout * 0.9).And.LessThan(ConnectTimeout * 2));
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
            Assert.That(elapsed.Elapsed, Is.LessThan(ConnectTimeout * 2 + TimeSpan.FromSeconds(0.5)));
        });
    }
}
