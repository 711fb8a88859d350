using Billing.Application.PortalAudit;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace Billing.Api.Auditing;

/// <summary>
/// Marks the endpoint whose every request lands in the tenant's portal audit trail. Outcomes the application
/// decides (an invalid request among them) are recorded by its use case; this attribute
/// records the requests MVC refuses before the action runs (malformed or oversized body, wrong content type).
/// The forbidden and rate-limited hooks look for it too.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class AuditedPortalAccessAttribute : Attribute, IAsyncActionFilter, IOrderedFilter
{
    // Outside [ApiController]'s own filters (415 at -3000, invalid model state at -2000), so their answers pass through here.
    public int Order => -10_000;

    /// <summary>What the endpoint's rows record (<see cref="PortalAuditActions"/>); the portal by default.</summary>
    public string Action { get; init; } = PortalAuditActions.Portal;

    /// <summary>An audit row of this endpoint that records only its outcome.</summary>
    public PortalAuditDetails NoDetails => PortalAuditDetails.None with { Action = Action };

    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Result is IStatusCodeActionResult { StatusCode: StatusCodes.Status400BadRequest or StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType })
        {
            var request = context.ActionArguments.Values.OfType<IAuditedRequest>().FirstOrDefault();
            var auditTrail = context.HttpContext.RequestServices.GetRequiredService<PortalAuditTrail>();
            await auditTrail.RecordAsync(
                PortalAuditOutcome.InvalidRequest, request?.AskedFor() ?? NoDetails, context.HttpContext.RequestAborted);
        }
    }
}
