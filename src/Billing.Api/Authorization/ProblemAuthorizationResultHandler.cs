using Billing.Api.Auditing;
using Billing.Api.Errors;
using Billing.Application.PortalAudit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Billing.Api.Authorization;

/// <summary>A refused policy answers 403 problem+json with <c>"error":"Forbidden"</c> (and leaves an audit row on the portal endpoint).</summary>
internal sealed class ProblemAuthorizationResultHandler(IProblemDetailsService problemDetailsService) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler defaultHandler = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden)
        {
            await defaultHandler.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        if (context.GetEndpoint()?.Metadata.GetMetadata<AuditedPortalAccessAttribute>() is { } audited)
        {
            var auditTrail = context.RequestServices.GetRequiredService<PortalAuditTrail>();
            await auditTrail.RecordAsync(PortalAuditOutcome.Forbidden, audited.NoDetails, context.RequestAborted);
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problemDetailsService.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status403Forbidden, Title = ErrorMessages.Forbidden },
        });
    }
}
