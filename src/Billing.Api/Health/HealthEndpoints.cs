using System.Text.Json;
using System.Text.Json.Serialization;
using Billing.Infrastructure.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Billing.Api.Health;

/// <summary>
/// The probes an orchestrator polls. Both answer JSON that says which check failed and why, so an operator
/// does not have to go to the logs to learn that PostgreSQL is down or a migration is missing.
/// </summary>
internal static class HealthEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void MapHealthProbes(this IEndpointRouteBuilder endpoints)
    {
        // Liveness runs no check: a failing database must not get a healthy process restarted.
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthCheckTags.Ready),
            ResponseWriter = WriteAsync,
        });
    }

    /// <summary>Writes <c>{"status", "totalDurationMs", "checks": {name: {status, description, durationMs, data}}}</c>; exceptions stay in the logs.</summary>
    internal static Task WriteAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(
            new Report(
                report.Status.ToString(),
                Milliseconds(report.TotalDuration),
                report.Entries.ToDictionary(
                    entry => entry.Key,
                    entry => new CheckReport(
                        entry.Value.Status.ToString(),
                        entry.Value.Description,
                        Milliseconds(entry.Value.Duration),
                        entry.Value.Data.Count > 0 ? entry.Value.Data : null))),
            JsonOptions);

    private static double Milliseconds(TimeSpan duration) => Math.Round(duration.TotalMilliseconds, 1);

    private sealed record Report(string Status, double TotalDurationMs, IReadOnlyDictionary<string, CheckReport> Checks);

    private sealed record CheckReport(string Status, string? Description, double DurationMs, IReadOnlyDictionary<string, object>? Data);
}
