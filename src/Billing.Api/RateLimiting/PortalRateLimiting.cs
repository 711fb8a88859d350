using System.Threading.RateLimiting;
using Billing.Api.Auditing;
using Billing.Api.Errors;
using Billing.Application.Common.Interfaces;
using Billing.Application.PortalAudit;
using Billing.Application.PortalSessions;
using Billing.Application.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Billing.Api.RateLimiting;

/// <summary>
/// Each portal session costs a Stripe call, and Stripe limits the whole account: one tenant hammering the button
/// must not use up everyone's budget. The partition is the tenant from the validated token, never a header or the body.
/// Its window is counted in PostgreSQL (<see cref="TenantWindowRateLimiter"/>), so the limit holds across instances;
/// when the count cannot be had, the exception reaches the exception handler (500) and the request goes no further.
/// </summary>
internal static class PortalRateLimiting
{
    public const string PolicyName = "portal";

    public static IServiceCollection AddPortalRateLimiting(this IServiceCollection services) =>
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(PolicyName, Partition);
            options.OnRejected = RejectAsync;
        });

    private static RateLimitPartition<Guid> Partition(HttpContext context)
    {
        // Requests without a tenant never reach Stripe (they get 400 or 401), so they need no budget.
        if (context.RequestServices.GetRequiredService<ICurrentTenant>().TenantId is not { } tenantId)
        {
            return RateLimitPartition.GetNoLimiter(Guid.Empty);
        }

        // The services are asked for only when a tenant's limiter is made, not on every request.
        var services = context.RequestServices;
        return RateLimitPartition.Get(tenantId.Value, _ =>
        {
            var limit = services.GetRequiredService<IOptions<PortalOptions>>().Value.RateLimit;
            return new TenantWindowRateLimiter(tenantId, limit.PermitLimit, TimeSpan.FromSeconds(limit.WindowSeconds),
                services.GetRequiredService<ITenantRequestCounter>(), services.GetRequiredService<TimeProvider>());
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var audited = context.GetEndpoint()?.Metadata.GetMetadata<AuditedPortalAccessAttribute>() ?? new AuditedPortalAccessAttribute();
        await context.RequestServices.GetRequiredService<PortalAuditTrail>()
            .RecordAsync(PortalAuditOutcome.RateLimited, audited.NoDetails, cancellationToken);

        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            context.Response.Headers[HeaderNames.RetryAfter] = RetryAfter.InWholeSeconds(retryAfter);
        }

        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = ErrorMessages.TooManyRequests },
        });
    }
}
