using Billing.Api.Auditing;
using Billing.Application.Common.Configuration;
using Billing.Application.Common.Interfaces;

namespace Billing.Api.Tenancy;

internal static class TenancySetup
{
    public static IServiceCollection AddTenancy(this IServiceCollection services)
    {
        services.AddValidatedOptions<TenancyOptions, TenancyOptionsValidator>(TenancyOptions.SectionName);
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentTenant, ClaimsCurrentTenant>();
        services.AddScoped<ICurrentUser, ClaimsCurrentUser>();
        services.AddScoped<IAuditContext, HttpAuditContext>();
        return services;
    }
}
