using Billing.Application.Common.Configuration;
using Microsoft.Extensions.Options;

namespace Billing.Api.Authentication;

/// <summary>The rules of <see cref="BearerTokenOptions"/>, checked at start-up.</summary>
public sealed class BearerTokenOptionsValidator : IValidateOptions<BearerTokenOptions>
{
    public ValidateOptionsResult Validate(string? name, BearerTokenOptions options) => new OptionsFailures()
        .Check(options.ClockSkewSeconds is >= 0 and <= 300, "Authentication:Schemes:Bearer:ClockSkewSeconds must be between 0 and 300.")
        .ToResult();
}
