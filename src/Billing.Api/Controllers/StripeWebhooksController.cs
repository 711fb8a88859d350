using Billing.Application.StripeEvents;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Cors;
using Microsoft.AspNetCore.Mvc;

namespace Billing.Api.Controllers;

/// <summary>Where Stripe delivers its events. Stripe calls it, not browsers: no bearer token, no CORS.</summary>
[ApiController]
[AllowAnonymous]
[DisableCors]
[Route("api/stripe/webhooks")]
public sealed class StripeWebhooksController : ControllerBase
{
    /// <summary>Stripe's event payloads are a few KB; anything near this size is not one.</summary>
    public const int MaxEventBytes = 1024 * 1024;

    /// <summary>Receives one Stripe event delivery.</summary>
    /// <remarks>
    /// The <c>Stripe-Signature</c> header must sign the body as received with one of <c>Stripe:WebhookSecrets</c>,
    /// within <c>Stripe:WebhookToleranceSeconds</c>. The event is stored durably before the 200; the same event
    /// delivered again gets 200 and has no second effect. It is processed in the background.
    /// </remarks>
    /// <param name="receiver">The use case.</param>
    /// <param name="cancellationToken">Cancelled when Stripe hangs up.</param>
    /// <response code="200">The event is stored (or was already).</response>
    /// <response code="400">The signature is missing, wrong or too old (<c>"Invalid signature"</c>), or the body is not an event (<c>"Invalid event"</c>).</response>
    /// <response code="404">Webhooks are off: no signing secret is configured.</response>
    /// <response code="413">The body is larger than 1 MB.</response>
    /// <response code="500">The event could not be stored; Stripe delivers it again later.</response>
    [HttpPost]
    [RequestSizeLimit(MaxEventBytes)]
    [ProducesResponseType<WebhookReceipt>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status500InternalServerError, "application/problem+json")]
    public async Task<ActionResult<WebhookReceipt>> Receive([FromServices] StripeWebhookReceiver receiver, CancellationToken cancellationToken)
    {
        // The signature covers the exact bytes, so the body is read raw, never through a formatter.
        using var body = new MemoryStream();
        await Request.Body.CopyToAsync(body, cancellationToken);
        await receiver.ReceiveAsync(body.ToArray(), Request.Headers["Stripe-Signature"].FirstOrDefault(), cancellationToken);
        return Ok(WebhookReceipt.Stored);
    }
}
