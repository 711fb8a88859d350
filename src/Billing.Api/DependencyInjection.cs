using Billing.Api.Authentication;
using Billing.Api.Errors;
using Billing.Api.Http;
using Billing.Api.OpenApi;
using Billing.Api.Tenancy;

namespace Microsoft.Extensions.DependencyInjection;

public static class DependencyInjection
{
    public static IServiceCollection AddApiServices(this IServiceCollection services)
    {
        services.AddControllers(options => options.Filters.Add<ApiExceptionFilter>())
            .ConfigureApiBehaviorOptions(options => options.InvalidModelStateResponseFactory = ProblemDetailsSetup.InvalidModelState);
        services.AddProblemDetailsContract();
        services.AddBearerAuthentication();
        services.AddTenancy();
        services.AddSpaCors();
        services.AddSwagger();
        return services;
    }
}
