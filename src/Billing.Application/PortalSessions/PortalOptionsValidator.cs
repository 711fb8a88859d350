using Billing.Application.Common.Configuration;
using Billing.Application.Common.Validation;
using Microsoft.Extensions.Options;

namespace Billing.Application.PortalSessions;

/// <summary>The rules of <see cref="PortalOptions"/>, checked at start-up.</summary>
public sealed class PortalOptionsValidator : IValidateOptions<PortalOptions>
{
    public ValidateOptionsResult Validate(string? name, PortalOptions options) => new OptionsFailures()
        .Check(UrlRules.IsLocalPath(options.ReturnPath),
            "Portal:ReturnPath must be a path that starts with a single '/', e.g. /settings/billing.")
        .Check(options.AllowedReturnOrigins.All(UrlRules.IsExactOrigin),
            "Portal:AllowedReturnOrigins must hold exact origins such as https://app.example.com (scheme, host and optional port; no path, no wildcard).")
        .Check(options.RequiredRoles.All(role => !string.IsNullOrWhiteSpace(role) && !role.Contains(' ', StringComparison.Ordinal)),
            "Portal:RequiredRoles must hold role names without spaces.")
        .Check(options.RateLimit.PermitLimit >= 1, "Portal:RateLimit:PermitLimit must be at least 1.")
        .Check(options.RateLimit.WindowSeconds >= 1, "Portal:RateLimit:WindowSeconds must be at least 1.")
        .ToResult();
}
