using Billing.Domain.Tenants;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Billing.Tests.Support;

/// <summary>The warning every use case logs when Stripe does not know a tenant's stored customer (StaleCustomerLog).</summary>
internal static class StaleCustomerWarning
{
    /// <summary>Asserts that <paramref name="record"/> is that warning, for this tenant, customer and Stripe request.</summary>
    public static void AssertIs(FakeLogRecord record, TenantId tenantId, string stripeCustomerId, string stripeRequestId) =>
        Assert.Multiple(() =>
        {
            Assert.That(record.Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(record.Message,
                Does.Contain("stale").And.Contain(tenantId.ToString()).And.Contain(stripeCustomerId).And.Contain(stripeRequestId));
        });
}
