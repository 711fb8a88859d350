using System.Net;
using System.Net.Http.Headers;
using Billing.Tests.Support;

namespace Billing.Tests.EndToEnd;

/// <summary>The API running while its PostgreSQL cannot be reached.</summary>
public sealed class DatabaseOutageTests
{
    private StripeFake stripe = null!;
    private BillingApiFactory factory = null!;
    private HttpClient client = null!;

    [OneTimeSetUp]
    public async Task StartApiWithoutDatabase()
    {
        stripe = await StripeFake.StartAsync();
        factory = BillingApiFactory.Create(
            $"Host=127.0.0.1;Port={UnusedPort.Next()};Username=billing;Database=billing;Timeout=2",
            stripe.BaseUrl,
            new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" });
        client = factory.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        client.Dispose();
        await factory.DisposeAsync();
        await stripe.DisposeAsync();
    }

    [Test]
    public async Task PostPortal_DatabaseUnreachable_Returns500WithoutDetailsAndStripeIsNotCalled()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/subscriptions/portal");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForTenant(Guid.NewGuid()));

        using var response = await client.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        var problem = ProblemBody.Parse(body);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(problem.Error, Is.EqualTo("Internal server error"));
            Assert.That(body, Does.Not.Contain("Npgsql").And.Not.Contain("127.0.0.1").And.Not.Contain("Exception"));
            Assert.That(stripe.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task GetReady_DatabaseUnreachable_Returns503()
    {
        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
    }

    [Test]
    public async Task GetLive_DatabaseUnreachable_StillReturns200()
    {
        using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
