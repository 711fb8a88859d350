using Billing.Application.Common.Configuration;
using Microsoft.Extensions.Options;

namespace Billing.Api.Tenancy;

/// <summary>The rules of <see cref="TenancyOptions"/>, checked at start-up.</summary>
public sealed class TenancyOptionsValidator : IValidateOptions<TenancyOptions>
{
    public ValidateOptionsResult Validate(string? name, TenancyOptions options) => new OptionsFailures()
        .Check(!string.IsNullOrWhiteSpace(options.TenantClaim), "Tenancy:TenantClaim must name a claim.")
        .Check(!string.IsNullOrWhiteSpace(options.RoleClaim), "Tenancy:RoleClaim must name a claim.")
        .ToResult();
}
