using Microsoft.AspNetCore.Authorization;

namespace Billing.Api.Authorization;

internal static class AuthorizationSetup
{
    public static IServiceCollection AddPortalAuthorization(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(PortalAccessPolicy.Name, policy => policy
                .RequireAuthenticatedUser()
                .AddRequirements(new PortalRoleRequirement()));
        services.AddSingleton<IAuthorizationHandler, PortalRoleHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return services;
    }
}
