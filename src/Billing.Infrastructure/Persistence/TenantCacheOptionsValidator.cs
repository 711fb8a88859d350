using Billing.Application.Common.Configuration;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Persistence;

/// <summary>The rules of <see cref="TenantCacheOptions"/>, checked at start-up.</summary>
public sealed class TenantCacheOptionsValidator : IValidateOptions<TenantCacheOptions>
{
    public ValidateOptionsResult Validate(string? name, TenantCacheOptions options) => new OptionsFailures()
        .Check(options.MaxEntries is >= 1 and <= 10_000_000, "TenantCache:MaxEntries must be between 1 and 10000000.")
        .Check(options.TimeToLiveSeconds is >= 1 and <= 86_400, "TenantCache:TimeToLiveSeconds must be between 1 and 86400.")
        .ToResult();
}
