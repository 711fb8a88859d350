using Billing.Application.Common.Exceptions;
using Billing.Application.Common.Interfaces;
using Billing.Domain.Tenants;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Application.PortalSessions;

/// <summary>Opens a Stripe Billing Portal session for the caller's own tenant.</summary>
public sealed partial class PortalSessionService(
    ICurrentTenant currentTenant,
    ITenantConfigRepository tenantConfigs,
    IStripePortalGateway stripePortal,
    IOptions<AppOptions> appOptions,
    IOptions<PortalOptions> portalOptions,
    ILogger<PortalSessionService> logger)
{
    /// <exception cref="TenantContextMissingException">The caller's token names no valid tenant.</exception>
    /// <exception cref="StripeCustomerNotFoundException">The tenant has no Stripe customer, or Stripe no longer knows it.</exception>
    /// <exception cref="PaymentProviderException">Stripe failed or could not be reached.</exception>
    public async Task<PortalSession> CreateAsync(CancellationToken cancellationToken)
    {
        var tenantId = currentTenant.TenantId ?? throw new TenantContextMissingException();

        var config = await tenantConfigs.FindAsync(tenantId, cancellationToken);
        if (config is not { HasStripeCustomer: true })
        {
            throw new StripeCustomerNotFoundException(tenantId);
        }

        var parameters = new PortalSessionParameters(config.StripeCustomerId!, DefaultReturnUrl);
        try
        {
            return await stripePortal.CreateSessionAsync(parameters, cancellationToken);
        }
        catch (UnknownStripeCustomerException exception)
        {
            LogStaleCustomerId(logger, tenantId, exception.StripeCustomerId, exception.StripeRequestId);
            throw new StripeCustomerNotFoundException(tenantId, exception);
        }
    }

    private string DefaultReturnUrl => appOptions.Value.PublicUrl.TrimEnd('/') + portalOptions.Value.ReturnPath;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Tenant {TenantId} is linked to Stripe customer {StripeCustomerId}, which Stripe does not know (request {StripeRequestId}); the stored id is stale and must be corrected in tenant_config")]
    private static partial void LogStaleCustomerId(ILogger logger, TenantId tenantId, string stripeCustomerId, string? stripeRequestId);
}
