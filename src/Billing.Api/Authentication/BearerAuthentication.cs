using Billing.Api.Errors;
using Billing.Application.Common.Configuration;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Billing.Api.Authentication;

internal static class BearerAuthentication
{
    /// <summary>
    /// JwtBearer configured the conventional way from <c>Authentication:Schemes:Bearer</c>, so that
    /// <c>dotnet user-jwts</c>, any OIDC authority, or a shared HS256 key set through environment variables all work.
    /// </summary>
    public static IServiceCollection AddBearerAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();

        services.AddValidatedOptions<BearerTokenOptions, BearerTokenOptionsValidator>(BearerTokenOptions.SectionName);
        services.AddSingleton<IValidateOptions<JwtBearerOptions>, JwtBearerOptionsValidator>();

        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<BearerTokenOptions>>((options, bearer) =>
            {
                // Keep claim names as the issuer wrote them ("sub", "tenant_id"), not mapped to WS-* URIs.
                options.MapInboundClaims = false;
                // Nothing here reads the raw token back, so the ticket does not carry a copy of the bearer credential
                // (and each request skips building it).
                options.SaveToken = false;
                options.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(bearer.Value.ClockSkewSeconds);
                options.Events = new JwtBearerEvents { OnChallenge = WriteUnauthorizedProblemAsync };
            })
            .ValidateOnStart();

        // JwtBearer's configuration reader hands over SigningKeys as a lazy sequence that reads and decodes the
        // configuration again for every token validated (about 2% of the API's CPU in the benchmark). Read them once:
        // like every other setting here, a new key takes a restart.
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            options.TokenValidationParameters.IssuerSigningKeys = options.TokenValidationParameters.IssuerSigningKeys?.ToArray());

        return services;
    }

    /// <summary>JwtBearer's challenge has no body; the contract wants problem+json with <c>"error":"Unauthorized"</c>.</summary>
    internal static async Task WriteUnauthorizedProblemAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        // RFC 6750: say that a presented token was rejected, but not why.
        response.Headers[HeaderNames.WWWAuthenticate] = context.AuthenticateFailure is null
            ? JwtBearerDefaults.AuthenticationScheme
            : $"{JwtBearerDefaults.AuthenticationScheme} error=\"invalid_token\"";

        var problemDetailsService = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problemDetailsService.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context.HttpContext,
            ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Title = ErrorMessages.Unauthorized },
        });
    }
}
