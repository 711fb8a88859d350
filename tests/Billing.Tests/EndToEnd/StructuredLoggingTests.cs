using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Billing.Tests.Support;

namespace Billing.Tests.EndToEnd;

/// <summary>
/// What an operator's log pipeline receives from a Production instance: one JSON object per line, and the line
/// of each portal request carrying its trace id, tenant and outcome.
/// </summary>
[Category("Integration")]
public sealed class StructuredLoggingTests
{
    private static readonly Guid TenantWithoutCustomer = Guid.NewGuid();

    private string connectionString = null!;
    private StripeFake stripe = null!;
    private ApiProcess api = null!;

    [OneTimeSetUp]
    public async Task StartApiProcess()
    {
        connectionString = await PostgresServer.CreateDatabaseAsync();
        stripe = await StripeFake.StartAsync();
        api = await ApiProcess.StartAsync(BillingApiFactory.Settings(connectionString, stripe.BaseUrl));
        await TenantSeeder.UpsertAsync(connectionString, TenantWithoutCustomer, null);
    }

    [OneTimeTearDown]
    public async Task StopApiProcess()
    {
        await api.DisposeAsync();
        await stripe.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(connectionString);
    }

    [Test]
    public async Task PortalRequest_InProduction_LogsAJsonLineWithTraceIdTenantAndOutcomeOnItsScope()
    {
        using var client = new HttpClient { BaseAddress = api.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/subscriptions/portal");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForTenant(TenantWithoutCustomer));
        using var response = await client.SendAsync(request);
        var problem = ProblemBody.Parse(await response.Content.ReadAsStringAsync());

        var line = await api.WaitForOutputAsync(output => output.Contains("Portal request ended", StringComparison.Ordinal));

        using var entry = JsonDocument.Parse(line);
        var scope = entry.RootElement.GetProperty("Scopes").EnumerateArray()
            .SelectMany(item => item.ValueKind == JsonValueKind.Object ? item.EnumerateObject() : Enumerable.Empty<JsonProperty>())
            .GroupBy(property => property.Name)
            .ToDictionary(group => group.Key, group => group.Last().Value.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(entry.RootElement.GetProperty("LogLevel").GetString(), Is.EqualTo("Information"));
            Assert.That(scope["TraceId"], Is.EqualTo(problem.TraceId!.Split('-')[1]), "the trace id the caller was given");
            Assert.That(scope["TenantId"], Is.EqualTo(TenantWithoutCustomer.ToString()));
            Assert.That(scope["Outcome"], Is.EqualTo("no_customer"));
        });
    }

    [Test]
    public void StandardOutput_InProduction_IsOneJsonObjectPerLine()
    {
        var lines = api.Output;

        Assert.Multiple(() =>
        {
            Assert.That(lines, Is.Not.Empty);
            foreach (var line in lines)
            {
                Assert.That(() => JsonDocument.Parse(line).Dispose(), Throws.Nothing, line);
            }
        });
    }
}
