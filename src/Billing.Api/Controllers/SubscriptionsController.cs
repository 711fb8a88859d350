using Billing.Application.PortalSessions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Billing.Api.Controllers;

[ApiController]
[Authorize]
[Route("api/subscriptions")]
public sealed class SubscriptionsController(PortalSessionService portalSessions) : ControllerBase
{
    /// <summary>Opens a Stripe Billing Portal session for the signed-in user's tenant.</summary>
    /// <remarks>
    /// The tenant comes from the bearer token's tenant claim and its Stripe customer from our database; nothing in
    /// the request can choose either. Redirect the browser to the returned <c>url</c> right away: it is short-lived
    /// and grants access to the tenant's billing, so do not store or log it.
    /// </remarks>
    /// <param name="request">Optional; send no body or <c>{}</c>.</param>
    /// <param name="cancellationToken">Cancelled when the caller hangs up.</param>
    /// <response code="200">The portal session was created; <c>url</c> opens it.</response>
    /// <response code="400">The token names no tenant, or not a UUID (<c>"No tenant context found"</c>), or the body is not valid JSON.</response>
    /// <response code="401">No bearer token, or an invalid or expired one (<c>"Unauthorized"</c>).</response>
    /// <response code="404">The tenant has no Stripe customer, or Stripe no longer knows it (<c>"No Stripe customer found for this tenant"</c>).</response>
    /// <response code="415">The body is not <c>application/json</c>.</response>
    /// <response code="500">Stripe or the database failed (<c>"Internal server error"</c>); no detail is disclosed.</response>
    [HttpPost("portal")]
    [ProducesResponseType<PortalSession>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status500InternalServerError, "application/problem+json")]
    public async Task<ActionResult<PortalSession>> CreatePortalSession(
        // Unused so far, but binding it still turns malformed JSON into 400 and non-JSON bodies into 415.
        [FromBody] PortalSessionRequest? request,
        CancellationToken cancellationToken) =>
        Ok(await portalSessions.CreateAsync(cancellationToken));
}
