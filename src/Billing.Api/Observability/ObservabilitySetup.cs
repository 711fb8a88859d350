using Billing.Application.Common.Metrics;
using Billing.Application.Common.Configuration;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Billing.Api.Observability;

internal static class ObservabilitySetup
{
    // The standard OpenTelemetry variable: when it is set, metrics, traces and logs also go out over OTLP.
    private const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private const string RequestLineCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>
    /// Metrics through OpenTelemetry: ours (portal outcomes, Stripe latency), ASP.NET Core's, HttpClient's, the
    /// runtime's and Npgsql's (pool usage), scraped by Prometheus; everything over OTLP when a collector is configured.
    /// </summary>
    public static IHostApplicationBuilder AddObservability(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<TelemetryOptions, TelemetryOptionsValidator>(TelemetryOptions.SectionName);

        // ASP.NET Core's request-start line quotes the URL with its query string, so a client that puts its token
        // in "?access_token=" would have it logged at Information. This filter outranks the Logging:LogLevel settings; the request
        // metrics and the portal's own outcome line remain.
        builder.Logging.AddFilter(RequestLineCategory, level => level >= LogLevel.Warning);

        var openTelemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter(BillingMetrics.MeterName, "Npgsql")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            openTelemetry
                .WithTracing(tracing => tracing
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddSource("Npgsql"))
                .WithLogging()
                .UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Maps the Prometheus scrape endpoint unless <c>Telemetry:PrometheusScrapePath</c> is empty.</summary>
    public static void MapMetricsEndpoint(this WebApplication app)
    {
        var path = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value.PrometheusScrapePath;
        if (path.Length > 0)
        {
            app.MapPrometheusScrapingEndpoint(path);
        }
    }
}
