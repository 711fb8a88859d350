using Billing.Api.Http;
using Billing.Api.OpenApi;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Billing.Api;

internal static class WebApplicationExtensions
{
    public static WebApplication UseBillingApi(this WebApplication app)
    {
        app.UseNoStoreHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSwaggerWhenEnabled();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapControllers();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(HealthCheckTags.Ready) });
        return app;
    }
}
