using Billing.Api.Health;
using Billing.Api.Http;
using Billing.Api.Observability;
using Billing.Api.OpenApi;

namespace Billing.Api;

internal static class WebApplicationExtensions
{
    public static WebApplication UseBillingApi(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseRequestLimits();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSwaggerWhenEnabled();
        app.UseCors();
        app.UseAuthentication();
        app.UseRequestLogScope();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapControllers();
        app.MapHealthProbes();
        app.MapMetricsEndpoint();
        return app;
    }
}
