using Billing.Application.Common.Validation;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Billing.Api.Http;

/// <summary>The SPA's browser origins may call the portal endpoint; no other origin may.</summary>
internal static class CorsSetup
{
    public static IServiceCollection AddSpaCors(this IServiceCollection services)
    {
        services.AddOptions<SpaCorsOptions>()
            .BindConfiguration(SpaCorsOptions.SectionName)
            .Validate(options => options.AllowedOrigins.All(UrlRules.IsExactOrigin),
                "Cors:AllowedOrigins must hold exact origins such as https://app.example.com (scheme, host and optional port; no path, no wildcard).")
            .ValidateOnStart();

        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<SpaCorsOptions>>((cors, spa) =>
            cors.AddDefaultPolicy(policy => policy
                .WithOrigins(spa.Value.AllowedOrigins)
                .WithMethods(HttpMethods.Post)
                .WithHeaders(HeaderNames.Authorization, HeaderNames.ContentType)
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return services;
    }
}
