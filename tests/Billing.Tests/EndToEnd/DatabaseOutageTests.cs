using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Billing.Tests.Support;

namespace Billing.Tests.EndToEnd;

/// <summary>The API running while its PostgreSQL cannot be reached.</summary>
public sealed class DatabaseOutageTests : EndToEndTestBase
{
    protected override IReadOnlyDictionary<string, string?> SettingOverrides { get; } =
        new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" };

    protected override Task<string> ProvideDatabaseAsync() =>
        Task.FromResult($"Host=127.0.0.1;Port={UnusedPort.Next()};Username=billing;Database=billing;Timeout=2");

    [Test]
    public async Task PostPortal_DatabaseUnreachable_Returns500WithoutDetailsAndStripeIsNotCalled()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/subscriptions/portal");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForTenant(Guid.NewGuid()));

        using var response = await Client.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        var problem = ProblemBody.Parse(body);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(problem.Error, Is.EqualTo("Internal server error"));
            Assert.That(body, Does.Not.Contain("Npgsql").And.Not.Contain("127.0.0.1").And.Not.Contain("Exception"));
            Assert.That(Stripe.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task GetReady_DatabaseUnreachable_Returns503AndSaysWhyWithoutNamingTheServer()
    {
        using var response = await Client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        using var report = JsonDocument.Parse(body);
        var checks = report.RootElement.GetProperty("checks");
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(report.RootElement.GetProperty("status").GetString(), Is.EqualTo("Unhealthy"));
            Assert.That(checks.GetProperty("postgresql").GetProperty("description").GetString(),
                Is.EqualTo("PostgreSQL is unreachable (ConnectionRefused)."));
            Assert.That(checks.GetProperty("migrations").GetProperty("status").GetString(), Is.EqualTo("Unhealthy"));
            Assert.That(body, Does.Not.Contain("127.0.0.1").And.Not.Contain("Exception"));
        });
    }

    [Test]
    public async Task GetLive_DatabaseUnreachable_StillReturns200()
    {
        using var response = await Client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
