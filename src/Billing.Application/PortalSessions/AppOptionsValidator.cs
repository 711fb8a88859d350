using Billing.Application.Common.Configuration;
using Billing.Application.Common.Validation;
using Microsoft.Extensions.Options;

namespace Billing.Application.PortalSessions;

/// <summary>The rules of <see cref="AppOptions"/>, checked at start-up.</summary>
public sealed class AppOptionsValidator : IValidateOptions<AppOptions>
{
    public ValidateOptionsResult Validate(string? name, AppOptions options) => new OptionsFailures()
        .Check(UrlRules.IsAbsoluteHttpUrl(options.PublicUrl), "App:PublicUrl must be the SPA's absolute http(s) URL, e.g. https://app.example.com.")
        .ToResult();
}
