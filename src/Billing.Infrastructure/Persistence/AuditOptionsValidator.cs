using Billing.Application.Common.Configuration;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Persistence;

/// <summary>The rules of <see cref="AuditOptions"/>, checked at start-up.</summary>
public sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options) => new OptionsFailures()
        .Check(options.RetentionDays is >= 1 and <= 36_500, "Audit:RetentionDays must be between 1 and 36500.")
        .ToResult();
}
