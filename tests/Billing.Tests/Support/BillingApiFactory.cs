using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;

namespace Billing.Tests.Support;

/// <summary>
/// The real API in-process: real JWT validation, the given PostgreSQL database and Stripe endpoint, and every log
/// line captured so tests can assert on what was (and was not) logged.
/// </summary>
internal sealed class BillingApiFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    public const string PublicUrl = "https://app.example.com";
    public const string StripeSecretKey = "sk_test_billing_tests_0123456789";

    /// <summary>The API with the settings of a working deployment; <paramref name="overrides"/> win (a null value removes a key).</summary>
    public static BillingApiFactory Create(string connectionString, string stripeApiBase, IReadOnlyDictionary<string, string?>? overrides = null) =>
        new(Settings(connectionString, stripeApiBase, overrides));

    /// <summary>The settings of a working deployment, with <paramref name="overrides"/> applied (a null value removes a key).</summary>
    public static Dictionary<string, string?> Settings(string connectionString, string stripeApiBase, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(TestTokens.HostSettings)
        {
            ["ConnectionStrings:Billing"] = connectionString,
            ["Stripe:SecretKey"] = StripeSecretKey,
            ["Stripe:ApiBase"] = stripeApiBase,
            ["Stripe:TimeoutSeconds"] = "2",
            ["Stripe:MaxNetworkRetries"] = "0",
            ["App:PublicUrl"] = PublicUrl,
            ["Cors:AllowedOrigins:0"] = PublicUrl,
            ["Swagger:Enabled"] = "true",
            // Every category at Debug, more than any deployment logs, so that the suite's secret scan sees it all.
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
            ["Logging:LogLevel:Npgsql"] = "Debug",
            // The rate limit has fixtures of its own; elsewhere it must not get in the way.
            ["Portal:RateLimit:PermitLimit"] = "100000",
            // So is Stripe's shared budget: on (every Stripe call still takes its turn in PostgreSQL), but never the bound.
            ["Stripe:RateLimit:RequestsPerSecond"] = "10000",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    /// <summary>Serves the API on real Kestrel on a free loopback port, with its real limits, and returns its base URL.</summary>
    public Uri StartOnLoopbackKestrel()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        return new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            if (value is not null)
            {
                builder.UseSetting(key, value);
            }
        }

        builder.ConfigureLogging(logging => logging.ClearProviders().AddFakeLogging().AddProvider(SuiteLogs.Provider).SetMinimumLevel(LogLevel.Debug));
    }
}
