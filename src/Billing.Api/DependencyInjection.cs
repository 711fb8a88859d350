using Billing.Api.Authentication;
using Billing.Api.Authorization;
using Billing.Api.Errors;
using Billing.Api.Http;
using Billing.Api.OpenApi;
using Billing.Api.RateLimiting;
using Billing.Api.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Microsoft.Extensions.DependencyInjection;

public static class DependencyInjection
{
    public static IServiceCollection AddApiServices(this IServiceCollection services)
    {
        services.AddSingleton<ApiExceptionFilter>();
        services.AddControllers(options =>
            {
                // One shared instance: a filter added by type is activated again for every request.
                options.Filters.Add(new ServiceFilterAttribute(typeof(ApiExceptionFilter)) { IsReusable = true });
                // This API never binds form data; reading a form would only let a malformed one turn a 415 into a 400.
                options.ValueProviderFactories.RemoveType<FormValueProviderFactory>();
                options.ValueProviderFactories.RemoveType<FormFileValueProviderFactory>();
                options.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
            })
            .ConfigureApiBehaviorOptions(options => options.InvalidModelStateResponseFactory = ProblemDetailsSetup.InvalidModelState);
        services.AddJsonContract();
        services.AddProblemDetailsContract();
        services.AddBearerAuthentication();
        services.AddPortalAuthorization();
        services.AddPortalRateLimiting();
        services.AddTenancy();
        services.AddSpaCors();
        services.AddKestrelLimits();
        services.AddSwagger();
        return services;
    }
}
