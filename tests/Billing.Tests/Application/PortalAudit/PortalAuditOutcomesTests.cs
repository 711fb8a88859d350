using Billing.Application.PortalAudit;

namespace Billing.Tests.Application.PortalAudit;

public sealed class PortalAuditOutcomesTests
{
    [TestCase(PortalAuditOutcome.Created, "created")]
    [TestCase(PortalAuditOutcome.Synced, "synced")]
    [TestCase(PortalAuditOutcome.NoCustomer, "no_customer")]
    [TestCase(PortalAuditOutcome.NoSubscription, "no_subscription")]
    [TestCase(PortalAuditOutcome.Forbidden, "forbidden")]
    [TestCase(PortalAuditOutcome.RateLimited, "rate_limited")]
    [TestCase(PortalAuditOutcome.StripeError, "stripe_error")]
    [TestCase(PortalAuditOutcome.InvalidRequest, "invalid_request")]
    [TestCase(PortalAuditOutcome.Abandoned, "abandoned")]
    public void ToWireName_Outcome_IsTheNameStoredAndShownToAdmins(PortalAuditOutcome outcome, string expected)
    {
        Assert.That(outcome.ToWireName(), Is.EqualTo(expected));
    }
}
