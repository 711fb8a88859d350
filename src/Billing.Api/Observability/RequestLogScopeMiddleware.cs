using Billing.Application.Common.Interfaces;
using Billing.Application.PortalAudit;

namespace Billing.Api.Observability;

internal static class RequestLogScopeMiddleware
{
    /// <summary>Puts the caller's tenant (and later the outcome) on the log scope; runs after authentication.</summary>
    public static WebApplication UseRequestLogScope(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestLogScope).FullName!);
        app.Use(async (context, next) =>
        {
            if (context.RequestServices.GetRequiredService<ICurrentTenant>().TenantId is not { } tenantId)
            {
                await next(context);
                return;
            }

            using (logger.BeginScope(new RequestLogScope(tenantId, context.RequestServices.GetRequiredService<PortalAuditTrail>())))
            {
                await next(context);
            }
        });
        return app;
    }
}
