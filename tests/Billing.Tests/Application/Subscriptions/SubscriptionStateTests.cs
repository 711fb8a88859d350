using Billing.Application.Subscriptions;

namespace Billing.Tests.Application.Subscriptions;

public sealed class SubscriptionStateTests
{
    [Test]
    public void None_ReadAtATime_HasStatusNoneNoSubscriptionFieldsAndThatTime()
    {
        var readAt = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.That(SubscriptionState.None(readAt), Is.EqualTo(new SubscriptionState("none", null, null, null, null, null, null, null, null, readAt)));
    }

    [Test]
    public void None_NeverRead_HasNoSyncTime()
    {
        Assert.That(SubscriptionState.None(syncedAt: null).SyncedAt, Is.Null);
    }
}
