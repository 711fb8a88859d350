using Billing.Application.PortalSessions;

namespace Billing.Tests.Application.PortalSessions;

public sealed class PortalFlowsTests
{
    [TestCase(PortalFlow.PaymentMethodUpdate, "payment_method_update")]
    [TestCase(PortalFlow.SubscriptionCancel, "subscription_cancel")]
    [TestCase(PortalFlow.SubscriptionUpdate, "subscription_update")]
    public void ToWireName_Flow_IsStripesFlowDataType(PortalFlow flow, string expected)
    {
        Assert.That(flow.ToWireName(), Is.EqualTo(expected));
    }

    [Test]
    public void ToWireName_ValueOutsideTheEnum_ThrowsRatherThanSendingNoType()
    {
        Assert.That(() => ((PortalFlow)99).ToWireName(), Throws.InvalidOperationException);
    }

    [Test]
    public void TryParse_Null_IsNoFlow()
    {
        Assert.That(PortalFlows.TryParse(null, out _), Is.False);
    }
}
