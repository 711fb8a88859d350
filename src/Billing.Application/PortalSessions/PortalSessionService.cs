using Billing.Application.Common.Exceptions;
using Billing.Application.Common.Interfaces;
using Billing.Application.PortalAudit;
using FluentValidation;
using Microsoft.Extensions.Logging;

namespace Billing.Application.PortalSessions;

/// <summary>Opens a Stripe Billing Portal session for the caller's own tenant, and records how each request ended.</summary>
public sealed class PortalSessionService(
    ICurrentTenant currentTenant,
    IValidator<PortalSessionRequest> validator,
    ITenantConfigRepository tenantConfigs,
    IStripePortalGateway stripePortal,
    ReturnUrlPolicy returnUrls,
    PortalAuditTrail auditTrail,
    ILogger<PortalSessionService> logger)
{
    /// <param name="request">What the caller asked for; checked by <see cref="PortalSessionRequestValidator"/> first.</param>
    /// <param name="cancellationToken">Cancelled when the caller hangs up.</param>
    /// <exception cref="ValidationException">The request asks for something we would not send to Stripe; audited as invalid.</exception>
    /// <exception cref="TenantContextMissingException">The caller's token names no valid tenant.</exception>
    /// <exception cref="StripeCustomerNotFoundException">The tenant has no Stripe customer, or Stripe no longer knows it.</exception>
    /// <exception cref="StripeSubscriptionNotFoundException">A subscription flow was asked for, but the tenant has no subscription.</exception>
    /// <exception cref="PaymentProviderException">Stripe failed or could not be reached.</exception>
    /// <exception cref="OperationCanceledException">The caller hung up; during the Stripe call, audited as abandoned first.</exception>
    public async Task<PortalSession> CreateAsync(PortalSessionRequest request, CancellationToken cancellationToken)
    {
        var validation = validator.Validate(request);
        if (!validation.IsValid)
        {
            await auditTrail.RecordAsync(PortalAuditOutcome.InvalidRequest, request.AskedFor(), cancellationToken);
            throw new ValidationException(validation.Errors);
        }

        var tenantId = currentTenant.TenantId ?? throw new TenantContextMissingException();
        PortalFlow? flow = PortalFlows.TryParse(request.Flow, out var parsedFlow) ? parsedFlow : null;
        var returnUrl = returnUrls.Resolve(request.ReturnUrl);
        var audit = new PortalAuditDetails(Flow: request.Flow, Locale: request.Locale, ReturnUrl: returnUrl);

        var config = await tenantConfigs.FindAsync(tenantId, cancellationToken);
        if (config is not { HasStripeCustomer: true })
        {
            await auditTrail.RecordAsync(PortalAuditOutcome.NoCustomer, audit, cancellationToken);
            throw new StripeCustomerNotFoundException(tenantId);
        }

        audit = audit with { StripeCustomerId = config.StripeCustomerId };
        var needsSubscription = flow?.NeedsSubscription() == true;
        if (needsSubscription && !config.HasStripeSubscription)
        {
            await auditTrail.RecordAsync(PortalAuditOutcome.NoSubscription, audit, cancellationToken);
            throw new StripeSubscriptionNotFoundException(tenantId);
        }

        var parameters = new PortalSessionParameters(
            config.StripeCustomerId!,
            returnUrl,
            flow,
            needsSubscription ? config.StripeSubscriptionId : null,
            request.Locale,
            config.PortalConfigurationId);

        // Once Stripe has been called, its side effect may exist whether or not the caller is still there: from here
        // on the audit row is written even if the request is cancelled meanwhile.
        var session = await auditTrail.RecordStripeSessionAsync(
            tenantId, audit, logger, () => stripePortal.CreateSessionAsync(parameters, cancellationToken), cancellationToken);

        // No unaudited access: if this write fails, the URL is never handed out.
        await auditTrail.RecordAsync(
            PortalAuditOutcome.Created,
            audit with { PortalSessionId = session.Id, Configuration = session.ConfigurationId, StripeRequestId = session.StripeRequestId },
            CancellationToken.None);
        return new PortalSession(session.Url);
    }
}
