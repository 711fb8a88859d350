using Billing.Application.Subscriptions;

namespace Billing.Tests.Application.Subscriptions;

public sealed class CurrentSubscriptionPolicyTests
{
    private static readonly DateTimeOffset January = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ReadAt = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void LiveStatuses_Always_AreTheStatusesOfASubscriptionTheCustomerStillHas()
    {
        Assert.That(CurrentSubscriptionPolicy.LiveStatuses, Is.EquivalentTo(new[] { "active", "trialing", "past_due", "unpaid", "paused" }));
    }

    [TestCase("active")]
    [TestCase("trialing")]
    [TestCase("past_due")]
    [TestCase("unpaid")]
    [TestCase("paused")]
    public void Choose_OlderLiveAndNewerEndedSubscription_ChoosesTheLiveOne(string liveStatus)
    {
        var live = Subscription("sub_live", liveStatus, January);
        var ended = Subscription("sub_ended", "canceled", January.AddMonths(1));

        Assert.That(CurrentSubscriptionPolicy.Choose([ended, live]), Is.SameAs(live));
    }

    [Test]
    public void Choose_SeveralLive_ChoosesTheNewestLiveOne()
    {
        var older = Subscription("sub_older", "active", January);
        var newer = Subscription("sub_newer", "trialing", January.AddDays(1));
        var newestEnded = Subscription("sub_ended", "canceled", January.AddDays(2));

        Assert.That(CurrentSubscriptionPolicy.Choose([older, newestEnded, newer]), Is.SameAs(newer));
    }

    [Test]
    public void Choose_NoneLive_ChoosesTheNewestOfAll()
    {
        var older = Subscription("sub_older", "canceled", January);
        var newer = Subscription("sub_newer", "incomplete_expired", January.AddDays(1));

        Assert.That(CurrentSubscriptionPolicy.Choose([older, newer]), Is.SameAs(newer));
    }

    [Test]
    public void Choose_NoSubscriptions_ReturnsNull()
    {
        Assert.That(CurrentSubscriptionPolicy.Choose([]), Is.Null);
    }

    [Test]
    public void ToState_Subscriptions_KeepsEveryFieldOfTheChosenOneAndTheReadTime()
    {
        var chosen = new StripeSubscription(
            "sub_1", "past_due", January, "price_1", "prod_1", 3, January.AddMonths(1),
            CancelAtPeriodEnd: true, January.AddMonths(2), January.AddDays(14));

        var state = CurrentSubscriptionPolicy.ToState([Subscription("sub_old", "canceled", January.AddDays(-1)), chosen], ReadAt);

        Assert.That(state, Is.EqualTo(new SubscriptionState(
            "past_due", "sub_1", "price_1", "prod_1", 3, January.AddMonths(1), true, January.AddMonths(2), January.AddDays(14), ReadAt)));
    }

    [Test]
    public void ToState_NoSubscriptions_IsNoneAsReadThen()
    {
        Assert.That(CurrentSubscriptionPolicy.ToState([], ReadAt), Is.EqualTo(SubscriptionState.None(ReadAt)));
    }

    private static StripeSubscription Subscription(string id, string status, DateTimeOffset created) =>
        new(id, status, created, "price_1", "prod_1", 1, created.AddMonths(1), CancelAtPeriodEnd: false, CancelAt: null, TrialEnd: null);
}
