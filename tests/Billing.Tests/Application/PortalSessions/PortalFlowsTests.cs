using Billing.Application.PortalSessions;

namespace Billing.Tests.Application.PortalSessions;

public sealed class PortalFlowsTests
{
    [Test]
    public void TryParse_Null_IsNoFlow()
    {
        Assert.That(PortalFlows.TryParse(null, out _), Is.False);
    }

    [Test]
    public void ToWireName_ValueOutsideTheEnum_ThrowsRatherThanSendingNoType()
    {
        Assert.That(() => ((PortalFlow)99).ToWireName(), Throws.InvalidOperationException);
    }

    [TestCase(PortalFlow.PaymentMethodUpdate, "payment_method_update")]
    [TestCase(PortalFlow.SubscriptionCancel, "subscription_cancel")]
    [TestCase(PortalFlow.SubscriptionUpdate, "subscription_update")]
    public void ToWireName_Flow_IsStripesFlowDataTypeThatTryParseReadsBack(PortalFlow flow, string expected)
    {
        var wireName = flow.ToWireName();

        Assert.Multiple(() =>
        {
            Assert.That(wireName, Is.EqualTo(expected));
            Assert.That(PortalFlows.TryParse(wireName, out var parsed) ? parsed : (PortalFlow?)null, Is.EqualTo(flow));
        });
    }
}
