using Billing.Application.Common.Metrics;
using Billing.Application.Common.Validation;
using Billing.Application.PortalAudit;
using Billing.Application.PortalSessions;
using FluentValidation;

namespace Microsoft.Extensions.DependencyInjection;

public static class DependencyInjection
{
    public static IServiceCollection AddApplicationServices(this IServiceCollection services)
    {
        services.AddOptions<AppOptions>()
            .BindConfiguration(AppOptions.SectionName)
            .Validate(options => UrlRules.IsAbsoluteHttpUrl(options.PublicUrl),
                "App:PublicUrl must be the SPA's absolute http(s) URL, e.g. https://app.example.com.")
            .ValidateOnStart();

        services.AddOptions<PortalOptions>()
            .BindConfiguration(PortalOptions.SectionName)
            .Validate(options => UrlRules.IsLocalPath(options.ReturnPath),
                "Portal:ReturnPath must be a path that starts with a single '/', e.g. /settings/billing.")
            .Validate(options => options.AllowedReturnOrigins.All(UrlRules.IsExactOrigin),
                "Portal:AllowedReturnOrigins must hold exact origins such as https://app.example.com (scheme, host and optional port; no path, no wildcard).")
            .ValidateOnStart();

        services.AddSingleton<BillingMetrics>();
        services.AddSingleton<ReturnUrlPolicy>();
        services.AddValidatorsFromAssemblyContaining<PortalSessionRequestValidator>(ServiceLifetime.Singleton);
        services.AddScoped<PortalAuditTrail>();
        services.AddScoped<PortalSessionService>();
        return services;
    }
}
