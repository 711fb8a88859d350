using Billing.Application.Common.Configuration;
using Billing.Application.Common.Validation;
using Microsoft.Extensions.Options;

namespace Billing.Api.Observability;

/// <summary>The rules of <see cref="TelemetryOptions"/>, checked at start-up.</summary>
public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options) => new OptionsFailures()
        .Check(options.PrometheusScrapePath.Length == 0 || UrlRules.IsLocalPath(options.PrometheusScrapePath),
            "Telemetry:PrometheusScrapePath must be a path such as /metrics, or empty to turn the endpoint off.")
        .ToResult();
}
