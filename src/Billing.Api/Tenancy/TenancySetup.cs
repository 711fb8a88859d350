using Billing.Application.Common.Interfaces;

namespace Billing.Api.Tenancy;

internal static class TenancySetup
{
    public static IServiceCollection AddTenancy(this IServiceCollection services)
    {
        services.AddOptions<TenancyOptions>()
            .BindConfiguration(TenancyOptions.SectionName)
            .Validate(options => !string.IsNullOrWhiteSpace(options.TenantClaim), "Tenancy:TenantClaim must name a claim.")
            .Validate(options => !string.IsNullOrWhiteSpace(options.RoleClaim), "Tenancy:RoleClaim must name a claim.")
            .ValidateOnStart();

        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentTenant, ClaimsCurrentTenant>();
        services.AddScoped<IRequestContext, HttpRequestContext>();
        return services;
    }
}
