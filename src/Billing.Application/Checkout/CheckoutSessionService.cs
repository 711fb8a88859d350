using Billing.Application.Common.Exceptions;
using Billing.Application.Common.Interfaces;
using Billing.Application.PortalAudit;
using Billing.Application.PortalSessions;
using Billing.Application.Subscriptions;
using FluentValidation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Application.Checkout;

/// <summary>
/// Opens a Stripe Checkout session for the caller's own tenant to subscribe, creating the tenant's Stripe customer
/// first if it has none, and records how each request ended in the tenant's audit trail.
/// </summary>
public sealed class CheckoutSessionService(
    ICurrentTenant currentTenant,
    ICurrentUser currentUser,
    IValidator<CheckoutRequest> validator,
    ITenantBillingRepository billing,
    IStripeCustomerGateway stripeCustomers,
    IStripeCheckoutGateway stripeCheckout,
    ReturnUrlPolicy returnUrls,
    IOptions<BillingOptions> options,
    PortalAuditTrail auditTrail,
    ILogger<CheckoutSessionService> logger)
{
    /// <summary>Statuses of a subscription that still bills or can be revived in the portal: a second one would double-bill.</summary>
    public static IReadOnlySet<string> LiveStatuses { get; } =
        new HashSet<string>(StringComparer.Ordinal) { "active", "trialing", "past_due", "unpaid", "paused" };

    // Stripe replaces the placeholder with the session's id, so the SPA can tell which checkout came back.
    private const string SuccessQuery = "?checkout=success&session_id=" + SessionIdPlaceholder;
    private const string CancelQuery = "?checkout=cancelled";
    private const string SessionIdPlaceholder = "{CHECKOUT_SESSION_ID}";

    /// <exception cref="ValidationException">The request asks for something we would not send to Stripe; audited as invalid.</exception>
    /// <exception cref="TenantContextMissingException">The caller's token names no valid tenant.</exception>
    /// <exception cref="SubscriptionAlreadyExistsException">The tenant's stored subscription is live.</exception>
    /// <exception cref="StripeCustomerNotFoundException">Stripe no longer knows the tenant's stored customer.</exception>
    /// <exception cref="PaymentProviderException">Stripe failed or could not be reached.</exception>
    /// <exception cref="OperationCanceledException">The caller hung up; during a Stripe call, audited as abandoned first.</exception>
    public async Task<CheckoutSession> CreateAsync(CheckoutRequest request, CancellationToken cancellationToken)
    {
        var validation = validator.Validate(request);
        if (!validation.IsValid)
        {
            await auditTrail.RecordAsync(PortalAuditOutcome.InvalidRequest, request.AskedFor(), cancellationToken);
            throw new ValidationException(validation.Errors);
        }

        var tenantId = currentTenant.TenantId ?? throw new TenantContextMissingException();
        var successUrl = request.SuccessUrl is null ? returnUrls.DefaultReturnUrl + SuccessQuery : Resolve(request.SuccessUrl);
        var cancelUrl = request.CancelUrl is null ? returnUrls.DefaultReturnUrl + CancelQuery : Resolve(request.CancelUrl);
        var quantity = request.Quantity ?? 1;
        var audit = new PortalAuditDetails(
            Locale: request.Locale, ReturnUrl: successUrl, PriceId: request.PriceId, Quantity: quantity, Action: PortalAuditActions.Checkout);

        var stored = await billing.FindAsync(tenantId, cancellationToken);
        audit = audit with { StripeCustomerId = stored?.StripeCustomerId };
        if (stored?.State is { } state && LiveStatuses.Contains(state.Status))
        {
            await auditTrail.RecordAsync(PortalAuditOutcome.SubscriptionExists, audit, cancellationToken);
            throw new SubscriptionAlreadyExistsException(tenantId, state.Status);
        }

        var customerId = stored is { HasStripeCustomer: true }
            ? stored.StripeCustomerId!
            : await auditTrail.RecordStripeSessionAsync(
                tenantId,
                audit,
                logger,
                () => billing.GetOrCreateCustomerAsync(
                    tenantId,
                    token => stripeCustomers.CreateAsync(new NewStripeCustomer(tenantId, currentUser.Email, currentUser.Name), token),
                    cancellationToken),
                cancellationToken);

        audit = audit with { StripeCustomerId = customerId };
        var parameters = new CheckoutSessionParameters(
            tenantId, customerId, request.PriceId!, quantity, successUrl, cancelUrl, request.Locale, options.Value.AllowPromotionCodes);
        var session = await auditTrail.RecordStripeSessionAsync(
            tenantId, audit, logger, () => stripeCheckout.CreateSessionAsync(parameters, cancellationToken), cancellationToken);

        // No unaudited access: if this write fails, the URL is never handed out.
        await auditTrail.RecordAsync(
            PortalAuditOutcome.Created,
            audit with { CheckoutSessionId = session.Id, StripeRequestId = session.StripeRequestId },
            CancellationToken.None);
        return new CheckoutSession(session.Url);
    }

    // Resolving escapes the braces, and Stripe only replaces the placeholder as it is spelled.
    private string Resolve(string requested) =>
        returnUrls.Resolve(requested).Replace(Uri.EscapeDataString(SessionIdPlaceholder), SessionIdPlaceholder, StringComparison.Ordinal);
}
