using Billing.Application.Common.Configuration;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace Billing.Api.Authentication;

/// <summary>
/// What JwtBearer needs from <c>Authentication:Schemes:Bearer</c> (which it binds itself) before this API can accept
/// any token, checked at start-up instead of at the first request.
/// </summary>
internal sealed class JwtBearerOptionsValidator : IValidateOptions<JwtBearerOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
        {
            return ValidateOptionsResult.Skip;
        }

        var parameters = options.TokenValidationParameters;
        return new OptionsFailures()
            .Check(options.Authority is not null || parameters.IssuerSigningKey is not null || parameters.IssuerSigningKeys?.Any() == true,
                "Authentication:Schemes:Bearer needs either Authority (an OIDC provider) or SigningKeys (e.g. a shared HS256 key).")
            .Check(parameters.ValidAudiences?.Any() == true || options.Audience is not null,
                "Authentication:Schemes:Bearer:ValidAudiences must name the audience this API accepts.")
            .Check(options.Authority is not null || parameters.ValidIssuers?.Any() == true || parameters.ValidIssuer is not null,
                "Authentication:Schemes:Bearer:ValidIssuer must name the token issuer.")
            .ToResult();
    }
}
