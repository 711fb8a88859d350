using System.Text.Json.Serialization;
using Billing.Api.Authentication;
using Billing.Api.Authorization;
using Billing.Api.Errors;
using Billing.Api.Http;
using Billing.Api.OpenApi;
using Billing.Api.RateLimiting;
using Billing.Api.Tenancy;
using FluentValidation.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

public static class DependencyInjection
{
    public static IServiceCollection AddApiServices(this IServiceCollection services)
    {
        services.AddControllers(options => options.Filters.Add<ApiExceptionFilter>())
            .ConfigureApiBehaviorOptions(options => options.InvalidModelStateResponseFactory = ProblemDetailsSetup.InvalidModelState)
            .AddJsonOptions(options =>
            {
                // A client must never believe it chose the customer or the tenant: unknown members are an error.
                options.JsonSerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
                // Parser messages name our types; callers get the JSON path and a generic message instead.
                options.AllowInputFormatterExceptionMessages = false;
            });
        services.AddFluentValidationAutoValidation();
        services.AddProblemDetailsContract();
        services.AddBearerAuthentication();
        services.AddPortalAuthorization();
        services.AddPortalRateLimiting();
        services.AddTenancy();
        services.AddSpaCors();
        services.AddSwagger();
        return services;
    }
}
