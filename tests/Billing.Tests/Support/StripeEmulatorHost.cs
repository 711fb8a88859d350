using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Stripe;
using Stripe.Checkout;
using StripeEmulator;
using StripeEmulator.State;

namespace Billing.Tests.Support;

/// <summary>
/// The Stripe emulator (tools/StripeEmulator) on a loopback port, hosted in-process the way a test builds it: its
/// store to seed and read, its log, a Stripe.net client and a browser-like HTTP client for its pages.
/// </summary>
internal sealed class StripeEmulatorHost : IAsyncDisposable
{
    public const string SecretKey = "sk_test_emulator_tests_0123456789";

    private readonly WebApplication app;

    private StripeEmulatorHost(WebApplication app) => this.app = app;

    public string BaseUrl => LoopbackHost.BaseUrl(app);

    public EmulatorStore Store => app.Services.GetRequiredService<EmulatorStore>();

    public FakeLogCollector Logs => app.Services.GetFakeLogCollector();

    /// <summary>Starts an emulator on loopback Kestrel.</summary>
    /// <param name="settings">Its whole configuration: no appsettings.json, no environment variables.</param>
    /// <param name="port">A port chosen beforehand, e.g. one the API already names as its Stripe:ApiBase; by default any free one.</param>
    /// <param name="time">The emulator's clock; by default the system's.</param>
    public static async Task<StripeEmulatorHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, int port = 0, TimeProvider? time = null)
    {
        var builder = LoopbackHost.CreateBuilder(port);
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Logging.AddFakeLogging();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddStripeEmulator(builder.Configuration);
        var app = builder.Build();
        app.MapStripeEmulator();
        await app.StartAsync();
        return new StripeEmulatorHost(app);
    }

    /// <summary>Settings that configure a recurring price; <paramref name="interval"/> empty makes it one-time.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> PriceSettings(int index, string id, string product, long unitAmount, string interval = "month") =>
        new Dictionary<string, string?>
        {
            [$"Emulator:Prices:{index}:Id"] = id,
            [$"Emulator:Prices:{index}:Product"] = product,
            [$"Emulator:Prices:{index}:UnitAmount"] = unitAmount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"Emulator:Prices:{index}:Interval"] = interval,
        };

    /// <summary>
    /// Settings that have the emulator sign its events with <paramref name="secret"/> and POST them to
    /// <paramref name="url"/>, retrying after each of <paramref name="retryDelays"/> (TimeSpans, e.g. <c>00:00:00.100</c>).
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> WebhookSettings(string url, string secret, IEnumerable<string> retryDelays) =>
        new Dictionary<string, string?> { ["Emulator:WebhookUrl"] = url, ["Emulator:WebhookSecret"] = secret }
            .Concat(retryDelays.Select((delay, index) => KeyValuePair.Create($"Emulator:WebhookRetryDelays:{index}", (string?)delay)));

    /// <summary>A Stripe.net client for this emulator that never retries, so that each call is one request.</summary>
    public StripeClient CreateStripeClient() => new(new StripeClientOptions
    {
        ApiKey = SecretKey,
        ApiBase = BaseUrl,
        HttpClient = new SystemNetHttpClient(new HttpClient(), maxNetworkRetries: 0),
    });

    /// <summary>An HTTP client for the pages, as a browser without JavaScript but following no redirect, so that a test sees each 303.</summary>
    public HttpClient CreateBrowser() => new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };

    /// <summary>Opens a Checkout session for a known customer, as the API does, and pays it on the page, as a user would.</summary>
    public async Task<Session> PayCheckoutAsync(string customerId, string priceId, string? clientReferenceId = null)
    {
        var session = await new SessionService(CreateStripeClient()).CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customerId,
            LineItems = [new SessionLineItemOptions { Price = priceId, Quantity = 1 }],
            ClientReferenceId = clientReferenceId,
            SuccessUrl = "https://app.example.com/billing?checkout=success",
        });
        using var response = await SubmitAsync(new Uri(session.Url).AbsolutePath);
        return response.StatusCode == HttpStatusCode.SeeOther ? session : throw new InvalidOperationException($"Pay answered {response.StatusCode}.");
    }

    /// <summary>Submits one of a page's forms: POSTs <paramref name="fields"/> to <paramref name="path"/>.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string path, params (string Name, string Value)[] fields)
    {
        using var browser = CreateBrowser();
        using var form = new FormUrlEncodedContent(fields.Select(field => KeyValuePair.Create(field.Name, field.Value)));
        return await browser.PostAsync(path, form);
    }

    /// <summary>GETs a page and returns its status and HTML.</summary>
    public async Task<(HttpStatusCode Status, string Html)> GetPageAsync(string path)
    {
        using var browser = CreateBrowser();
        using var response = await browser.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Returns the first record the emulator has logged, or logs within 10 s, that satisfies <paramref name="predicate"/>.</summary>
    /// <exception cref="TimeoutException">None did.</exception>
    public async Task<FakeLogRecord> WaitForLogAsync(Func<FakeLogRecord, bool> predicate, string awaited)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await foreach (var record in Logs.GetLogsAsync(timeout.Token))
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

        throw new TimeoutException($"The emulator logged no record of {awaited} within 10 s.");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
