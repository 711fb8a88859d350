using Microsoft.AspNetCore.Authorization;

namespace Billing.Api.Authorization;

internal static class AuthorizationSetup
{
    public static IServiceCollection AddPortalAuthorization(this IServiceCollection services)
    {
        services.AddOptions<PortalAccessOptions>()
            .BindConfiguration(PortalAccessOptions.SectionName)
            .Validate(options => options.RequiredRoles.All(role => !string.IsNullOrWhiteSpace(role) && !role.Contains(' ', StringComparison.Ordinal)),
                "Portal:RequiredRoles must hold role names without spaces.")
            .Validate(options => options.RateLimit.PermitLimit >= 1, "Portal:RateLimit:PermitLimit must be at least 1.")
            .Validate(options => options.RateLimit.WindowSeconds >= 1, "Portal:RateLimit:WindowSeconds must be at least 1.")
            .ValidateOnStart();

        services.AddAuthorizationBuilder()
            .AddPolicy(PortalAccessPolicy.Name, policy => policy
                .RequireAuthenticatedUser()
                .AddRequirements(new PortalRoleRequirement()));
        services.AddSingleton<IAuthorizationHandler, PortalRoleHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return services;
    }
}
