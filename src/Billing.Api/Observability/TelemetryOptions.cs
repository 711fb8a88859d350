namespace Billing.Api.Observability;

/// <summary>Telemetry settings (section <c>Telemetry</c>); the standard <c>OTEL_*</c> variables configure OTLP export.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>Where Prometheus scrapes the metrics; empty turns the endpoint off (e.g. when only OTLP is used).</summary>
    public string PrometheusScrapePath { get; init; } = "/metrics";
}
