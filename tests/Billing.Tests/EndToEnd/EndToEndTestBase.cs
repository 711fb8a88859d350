using System.Net;
using System.Net.Http.Headers;
using Billing.Tests.Support;
using Microsoft.Extensions.Logging.Testing;

namespace Billing.Tests.EndToEnd;

/// <summary>
/// One running API per fixture: its own database on the test run's PostgreSQL (migrated at start-up), its own
/// Stripe fake, and an HTTP client. The fake is reset before every test.
/// </summary>
// NUnit applies a base fixture's category to every fixture derived from it: all of them stay out of the fast run.
[Category("Integration")]
public abstract class EndToEndTestBase
{
    protected const string Endpoint = "/api/subscriptions/portal";
    protected const string AuditEndpoint = "/api/subscriptions/portal/audit";

    private bool ownsDatabase;

    protected string ConnectionString { get; private set; } = null!;

    internal StripeFake Stripe { get; private set; } = null!;

    internal BillingApiFactory Factory { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    /// <summary>Settings that differ from a working deployment's.</summary>
    protected virtual IReadOnlyDictionary<string, string?> SettingOverrides { get; } = new Dictionary<string, string?>();

    /// <summary>For overrides that need something started first; by default <see cref="SettingOverrides"/>.</summary>
    protected virtual Task<IReadOnlyDictionary<string, string?>> ProvideSettingOverridesAsync() => Task.FromResult(SettingOverrides);

    /// <summary>Serve the API on real Kestrel instead of the in-memory test server, e.g. to meet Kestrel's request limits.</summary>
    protected virtual bool ListensOnKestrel => false;

    /// <summary>The connection string the API gets; by default a fresh database that this fixture owns.</summary>
    protected virtual async Task<string> ProvideDatabaseAsync()
    {
        ownsDatabase = true;
        return await PostgresServer.CreateDatabaseAsync();
    }

    [OneTimeSetUp]
    public async Task StartApi()
    {
        ConnectionString = await ProvideDatabaseAsync();
        Stripe = await StripeFake.StartAsync();
        Factory = BillingApiFactory.Create(ConnectionString, Stripe.BaseUrl, await ProvideSettingOverridesAsync());
        Client = ListensOnKestrel
            ? new HttpClient { BaseAddress = Factory.StartOnLoopbackKestrel() }
            : Factory.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await Stripe.DisposeAsync();
        if (ownsDatabase)
        {
            await PostgresServer.DropDatabaseAsync(ConnectionString);
        }
    }

    [SetUp]
    public void ResetStripe() => Stripe.Reset();

    protected async Task<HttpResponseMessage> PostAsync(
        string? token, string? body = null, string? contentType = "application/json", CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
        }

        return await Client.SendAsync(request, cancellationToken);
    }

    protected async Task<HttpResponseMessage> GetAuditAsync(string token, string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, AuditEndpoint + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Client.SendAsync(request);
    }

    /// <summary>Asserts the contract's problem+json shape and returns the raw body.</summary>
    protected static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var body = await response.Content.ReadAsStringAsync();
        var problem = ProblemBody.Parse(body);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(status), body);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.Error, Is.EqualTo(error));
            Assert.That(problem.Status, Is.EqualTo((int)status));
            Assert.That(problem.Type, Is.Not.Null.And.Not.Empty);
            Assert.That(problem.Title, Is.Not.Null.And.Not.Empty);
            Assert.That(problem.TraceId, Is.Not.Null.And.Not.Empty);
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        });
        return body;
    }

    /// <summary>Returns the first record the API has logged, or logs within 10 s, that satisfies <paramref name="predicate"/>.</summary>
    /// <exception cref="TimeoutException">None did.</exception>
    protected async Task<FakeLogRecord> WaitForLogAsync(Func<FakeLogRecord, bool> predicate)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            // The records logged so far, then each as it is logged.
            await foreach (var record in Factory.Logs.GetLogsAsync(timeout.Token))
            {
                if (predicate(record))
                {
                    return record;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
        }

        throw new TimeoutException("The API logged no such record within 10 s.");
    }

    /// <summary>The tenant's audit rows as stored, oldest first, each as its outcome and the whole row as text.</summary>
    protected Task<IReadOnlyList<(string Outcome, string Row)>> AuditRowsAsync(Guid tenantId) =>
        AuditRows.ReadAsync(ConnectionString, tenantId);
}
