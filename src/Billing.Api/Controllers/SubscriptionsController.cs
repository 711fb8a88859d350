using Billing.Api.Auditing;
using Billing.Api.Authorization;
using Billing.Api.RateLimiting;
using Billing.Application.Checkout;
using Billing.Application.PortalAudit;
using Billing.Application.PortalSessions;
using Billing.Application.Subscriptions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Billing.Api.Controllers;

[ApiController]
[Authorize(Policy = PortalAccessPolicy.Name)]
[Route("api/subscriptions")]
public sealed class SubscriptionsController : ControllerBase
{
    /// <summary>A portal or checkout request body is a few short strings; anything near this size is not one.</summary>
    public const int MaxPortalRequestBytes = 16 * 1024;

    /// <summary>Opens a Stripe Billing Portal session for the signed-in user's tenant.</summary>
    /// <remarks>
    /// The tenant comes from the bearer token's tenant claim and its Stripe customer (and subscription) from our
    /// database; nothing in the request can choose either. Redirect the browser to the returned <c>url</c> right
    /// away: it is short-lived and grants access to the tenant's billing, so do not store or log it. Every request
    /// with a valid tenant leaves a row in the tenant's audit trail.
    /// </remarks>
    /// <param name="portalSessions">The use case.</param>
    /// <param name="request">Optional; no body or <c>{}</c> opens the portal's home page. Unknown members are refused.</param>
    /// <param name="cancellationToken">Cancelled when the caller hangs up.</param>
    /// <response code="200">The portal session was created; <c>url</c> opens it.</response>
    /// <response code="400">Invalid body (<c>"Validation failed"</c>, with <c>errors</c> by field), or the token names no tenant (<c>"No tenant context found"</c>).</response>
    /// <response code="401">No bearer token, or an invalid or expired one (<c>"Unauthorized"</c>).</response>
    /// <response code="403">The user lacks every role in <c>Portal:RequiredRoles</c> (<c>"Forbidden"</c>).</response>
    /// <response code="404">No Stripe customer for the tenant (<c>"No Stripe customer found for this tenant"</c>), or a subscription flow without a subscription (<c>"No Stripe subscription found for this tenant"</c>).</response>
    /// <response code="413">The body is larger than 16 KB (<c>"Content Too Large"</c>).</response>
    /// <response code="415">The body is not <c>application/json</c>.</response>
    /// <response code="429">The tenant used up its portal sessions for now (<c>"Too many requests"</c>); see <c>Retry-After</c>.</response>
    /// <response code="500">Stripe or the database failed (<c>"Internal server error"</c>); no detail is disclosed.</response>
    /// <response code="503">Stripe's budget is spent for now (<c>"Billing is busy, try again shortly"</c>); see <c>Retry-After</c>.</response>
    [HttpPost("portal")]
    [AuditedPortalAccess]
    [RequestSizeLimit(MaxPortalRequestBytes)]
    [EnableRateLimiting(PortalRateLimiting.PolicyName)]
    [ProducesResponseType<PortalSession>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status500InternalServerError, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<ActionResult<PortalSession>> CreatePortalSession(
        [FromServices] PortalSessionService portalSessions,
        [FromBody] PortalSessionRequest? request,
        CancellationToken cancellationToken) =>
        Ok(await portalSessions.CreateAsync(request ?? PortalSessionRequest.Empty, cancellationToken));

    /// <summary>The plans a tenant can subscribe to, with their prices as Stripe has them.</summary>
    /// <remarks>
    /// From <c>Billing:Plans</c>, in that order. A plan whose price Stripe does not know, or that is not recurring, is
    /// left out (and logged).
    /// </remarks>
    /// <param name="plans">The plan catalog.</param>
    /// <param name="cancellationToken">Cancelled when the caller hangs up.</param>
    /// <response code="200">The plans; an empty list when none is configured.</response>
    /// <response code="401">No bearer token, or an invalid or expired one.</response>
    /// <response code="403">The user lacks every role in <c>Portal:RequiredRoles</c>.</response>
    /// <response code="500">Stripe failed while a price was read for the first time (<c>"Internal server error"</c>).</response>
    /// <response code="503">Stripe's budget was spent while a price was read for the first time (<c>"Billing is busy, try again shortly"</c>); see <c>Retry-After</c>.</response>
    [HttpGet("plans")]
    [ProducesResponseType<PlanList>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status500InternalServerError, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<ActionResult<PlanList>> GetPlans([FromServices] PlanCatalog plans, CancellationToken cancellationToken) =>
        Ok(await plans.ListAsync(cancellationToken));

    /// <summary>Opens a Stripe Checkout session for the signed-in user's tenant to subscribe to a plan.</summary>
    /// <remarks>
    /// The tenant's Stripe customer is the stored one; a tenant without one gets one, created once however many
    /// requests race for it. Redirect the browser to the returned <c>url</c> at once, and never store or log it. A tenant
    /// whose subscription is live gets 409: send it to the portal instead. Audited like the portal, as <c>checkout</c>.
    /// </remarks>
    /// <param name="checkout">The use case.</param>
    /// <param name="request">The plan, and optionally quantity, return URLs and locale. Unknown members are refused.</param>
    /// <param name="cancellationToken">Cancelled when the caller hangs up.</param>
    /// <response code="200">The Checkout session was created; <c>url</c> opens it.</response>
    /// <response code="400">Invalid body (<c>"Validation failed"</c>, with <c>errors</c> by field), or the token names no tenant (<c>"No tenant context found"</c>).</response>
    /// <response code="401">No bearer token, or an invalid or expired one (<c>"Unauthorized"</c>).</response>
    /// <response code="403">The user lacks every role in <c>Portal:RequiredRoles</c> (<c>"Forbidden"</c>).</response>
    /// <response code="404">Stripe no longer knows the tenant's stored customer (<c>"No Stripe customer found for this tenant"</c>).</response>
    /// <response code="409">The tenant's subscription is active, trialing, past due, unpaid or paused (<c>"Subscription already exists"</c>).</response>
    /// <response code="413">The body is larger than 16 KB (<c>"Content Too Large"</c>).</response>
    /// <response code="415">The body is not <c>application/json</c>.</response>
    /// <response code="429">The tenant used up its budget for now (<c>"Too many requests"</c>); see <c>Retry-After</c>.</response>
    /// <response code="500">Stripe or the database failed (<c>"Internal server error"</c>); no detail is disclosed.</response>
    /// <response code="503">Stripe's budget is spent for now (<c>"Billing is busy, try again shortly"</c>); see <c>Retry-After</c>.</response>
    [HttpPost("checkout")]
    [AuditedPortalAccess(Action = PortalAuditActions.Checkout)]
    [RequestSizeLimit(MaxPortalRequestBytes)]
    [EnableRateLimiting(PortalRateLimiting.PolicyName)]
    [ProducesResponseType<CheckoutSession>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status500InternalServerError, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<ActionResult<CheckoutSession>> CreateCheckoutSession(
        [FromServices] CheckoutSessionService checkout,
        [FromBody] CheckoutRequest request,
        CancellationToken cancellationToken) =>
        Ok(await checkout.CreateAsync(request, cancellationToken));

    /// <summary>Reads the caller's tenant's portal audit trail, newest first.</summary>
    /// <remarks>Only the caller's own tenant's rows, ever. Page with <c>before</c> = the previous page's <c>nextCursor</c>.</remarks>
    /// <param name="auditTrail">The audit trail.</param>
    /// <param name="limit">Rows per page, 1 to 100.</param>
    /// <param name="before">The <c>nextCursor</c> of the previous page; omit for the newest rows.</param>
    /// <param name="cancellationToken">Cancelled when the caller hangs up.</param>
    /// <response code="200">A page of audit rows.</response>
    /// <response code="400">Invalid <c>limit</c> or <c>before</c> (<c>"Validation failed"</c>), or the token names no tenant.</response>
    /// <response code="401">No bearer token, or an invalid or expired one.</response>
    /// <response code="403">The user lacks every role in <c>Portal:RequiredRoles</c>.</response>
    /// <response code="500">The database failed (<c>"Internal server error"</c>); no detail is disclosed.</response>
    [HttpGet("portal/audit")]
    [ProducesResponseType<PortalAuditPage>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status500InternalServerError, "application/problem+json")]
    public async Task<ActionResult<PortalAuditPage>> GetPortalAudit(
        [FromServices] PortalAuditTrail auditTrail,
        // Named as the wire spells them, which is also how the document lists them.
        [FromQuery(Name = "limit")] int limit = PortalAuditQuery.DefaultLimit,
        [FromQuery(Name = "before")] string? before = null,
        CancellationToken cancellationToken = default) =>
        Ok(await auditTrail.ReadAsync(new PortalAuditQuery(limit, before), cancellationToken));

    /// <summary>The signed-in user's tenant's current subscription, as last synced from Stripe.</summary>
    /// <remarks>
    /// Kept true by Stripe's events. A tenant with a customer but no subscription (or not yet synced) gets
    /// <c>"status":"none"</c> with the rest null. Times are ISO 8601 UTC.
    /// </remarks>
    /// <param name="subscriptions">The use case.</param>
    /// <param name="cancellationToken">Cancelled when the caller hangs up.</param>
    /// <response code="200">The current subscription, or <c>"status":"none"</c>.</response>
    /// <response code="400">The token names no tenant (<c>"No tenant context found"</c>).</response>
    /// <response code="401">No bearer token, or an invalid or expired one.</response>
    /// <response code="403">The user lacks every role in <c>Portal:RequiredRoles</c>.</response>
    /// <response code="404">The tenant has no Stripe customer (<c>"No Stripe customer found for this tenant"</c>).</response>
    /// <response code="500">The database failed; no detail is disclosed.</response>
    [HttpGet("current")]
    [ProducesResponseType<SubscriptionState>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status500InternalServerError, "application/problem+json")]
    public async Task<ActionResult<SubscriptionState>> GetCurrentSubscription(
        [FromServices] CurrentSubscriptionService subscriptions, CancellationToken cancellationToken) =>
        Ok(await subscriptions.GetAsync(cancellationToken));

    /// <summary>Syncs the signed-in user's tenant's subscription from Stripe now, and returns it.</summary>
    /// <remarks>
    /// For the SPA when a user comes back from the portal or Checkout, before Stripe's event has arrived. Counts against
    /// the tenant's rate limit like a portal session, and leaves a <c>sync</c> row in the audit trail.
    /// </remarks>
    /// <param name="subscriptions">The use case.</param>
    /// <param name="cancellationToken">Cancelled when the caller hangs up.</param>
    /// <response code="200">The current subscription as Stripe has it now, or <c>"status":"none"</c>.</response>
    /// <response code="400">The token names no tenant (<c>"No tenant context found"</c>).</response>
    /// <response code="401">No bearer token, or an invalid or expired one.</response>
    /// <response code="403">The user lacks every role in <c>Portal:RequiredRoles</c>.</response>
    /// <response code="404">The tenant has no Stripe customer, or Stripe no longer knows it (<c>"No Stripe customer found for this tenant"</c>).</response>
    /// <response code="429">The tenant used up its budget for now (<c>"Too many requests"</c>); see <c>Retry-After</c>.</response>
    /// <response code="500">Stripe or the database failed (<c>"Internal server error"</c>); no detail is disclosed.</response>
    /// <response code="503">Stripe's budget is spent for now (<c>"Billing is busy, try again shortly"</c>); see <c>Retry-After</c>.</response>
    [HttpPost("sync")]
    [AuditedPortalAccess(Action = PortalAuditActions.Sync)]
    [EnableRateLimiting(PortalRateLimiting.PolicyName)]
    [ProducesResponseType<SubscriptionState>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status500InternalServerError, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<ActionResult<SubscriptionState>> SyncSubscription(
        [FromServices] CurrentSubscriptionService subscriptions, CancellationToken cancellationToken) =>
        Ok(await subscriptions.SyncAsync(cancellationToken));
}
