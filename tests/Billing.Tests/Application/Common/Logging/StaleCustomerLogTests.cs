using Billing.Application.Common.Logging;
using Billing.Domain.Tenants;
using Billing.Tests.Support;
using Microsoft.Extensions.Logging.Testing;

namespace Billing.Tests.Application.Common.Logging;

public sealed class StaleCustomerLogTests
{
    private static readonly TenantId Tenant = new(Guid.Parse("7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b"));

    [Test]
    public void StaleStripeCustomer_Always_WarnsThatTheStoredIdIsStaleNamingTenantCustomerAndRequest()
    {
        var logger = new FakeLogger();

        logger.StaleStripeCustomer(Tenant, "cus_Stale1", "req_7");

        StaleCustomerWarning.AssertIs(logger.LatestRecord, Tenant, "cus_Stale1", "req_7");
    }

    [Test]
    public void StaleStripeCustomer_Always_KeepsEachIdAsAFieldToSearchBy()
    {
        var logger = new FakeLogger();

        logger.StaleStripeCustomer(Tenant, "cus_Stale1", "req_7");

        var record = logger.LatestRecord;
        var fields = (record.GetStructuredStateValue("TenantId"), record.GetStructuredStateValue("StripeCustomerId"),
            record.GetStructuredStateValue("StripeRequestId"));
        Assert.That(fields, Is.EqualTo((Tenant.ToString(), "cus_Stale1", "req_7")));
    }
}
