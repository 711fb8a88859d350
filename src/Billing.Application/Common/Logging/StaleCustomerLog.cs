using Billing.Domain.Tenants;
using Microsoft.Extensions.Logging;

namespace Billing.Application.Common.Logging;

/// <summary>The one warning every use case gives when Stripe answers that a tenant's stored customer does not exist.</summary>
public static partial class StaleCustomerLog
{
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Tenant {TenantId} is linked to Stripe customer {StripeCustomerId}, which Stripe does not know (request {StripeRequestId}); the stored id is stale and must be corrected in tenant_config")]
    public static partial void StaleStripeCustomer(this ILogger logger, TenantId tenantId, string stripeCustomerId, string? stripeRequestId);
}
