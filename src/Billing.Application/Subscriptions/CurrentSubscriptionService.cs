using Billing.Application.Common.Exceptions;
using Billing.Application.Common.Interfaces;
using Billing.Application.PortalAudit;
using Billing.Domain.Tenants;
using Microsoft.Extensions.Logging;

namespace Billing.Application.Subscriptions;

/// <summary>The caller's own tenant's subscription, as stored and as Stripe has it now.</summary>
public sealed class CurrentSubscriptionService(
    ICurrentTenant currentTenant,
    ITenantBillingRepository billing,
    SubscriptionSync sync,
    PortalAuditTrail auditTrail,
    ILogger<CurrentSubscriptionService> logger)
{
    /// <summary>The stored state; <c>none</c> for a customer that has no subscription or was never synced.</summary>
    /// <exception cref="TenantContextMissingException">The caller's token names no valid tenant.</exception>
    /// <exception cref="StripeCustomerNotFoundException">The tenant has no Stripe customer.</exception>
    public async Task<SubscriptionState> GetAsync(CancellationToken cancellationToken)
    {
        var (tenantId, tenantBilling) = await FindAsync(cancellationToken);
        return tenantBilling is { HasStripeCustomer: true }
            ? tenantBilling.State ?? SubscriptionState.None(syncedAt: null)
            : throw new StripeCustomerNotFoundException(tenantId);
    }

    /// <summary>Reads the tenant's subscriptions from Stripe now, stores and returns the result; audited as <c>sync</c>.</summary>
    /// <exception cref="TenantContextMissingException">The caller's token names no valid tenant.</exception>
    /// <exception cref="StripeCustomerNotFoundException">The tenant has no Stripe customer, or Stripe no longer knows it.</exception>
    /// <exception cref="PaymentProviderException">Stripe failed or could not be reached.</exception>
    public async Task<SubscriptionState> SyncAsync(CancellationToken cancellationToken)
    {
        var (tenantId, tenantBilling) = await FindAsync(cancellationToken);
        var audit = new PortalAuditDetails(StripeCustomerId: tenantBilling?.StripeCustomerId, Action: PortalAuditActions.Sync);
        if (tenantBilling is not { HasStripeCustomer: true })
        {
            await auditTrail.RecordAsync(PortalAuditOutcome.NoCustomer, audit, cancellationToken);
            throw new StripeCustomerNotFoundException(tenantId);
        }

        var state = await auditTrail.RecordStripeFailuresAsync(
            tenantId, audit, logger, () => sync.SyncAsync(tenantId, tenantBilling.StripeCustomerId!, cancellationToken));
        await auditTrail.RecordAsync(PortalAuditOutcome.Synced, audit, CancellationToken.None);
        return state;
    }

    private async Task<(TenantId TenantId, TenantBilling? Billing)> FindAsync(CancellationToken cancellationToken)
    {
        var tenantId = currentTenant.TenantId ?? throw new TenantContextMissingException();
        return (tenantId, await billing.FindAsync(tenantId, cancellationToken));
    }
}
