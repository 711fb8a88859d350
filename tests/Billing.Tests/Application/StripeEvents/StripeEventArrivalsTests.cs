using Billing.Application.StripeEvents;
using Billing.Tests.Support;

namespace Billing.Tests.Application.StripeEvents;

public sealed class StripeEventArrivalsTests
{
    private StripeEventArrivals arrivals = null!;

    [SetUp]
    public void SetUp() => arrivals = new StripeEventArrivals();

    [TearDown]
    public void TearDown() => arrivals.Dispose();

    [Test]
    public void WaitAsync_Notified_CompletesAtOnce()
    {
        arrivals.Notify();

        Assert.That(ApplicationFixtures.WakesAWaitAtOnce(arrivals), Is.True);
    }

    [Test]
    public void WaitAsync_NotNotified_KeepsWaiting()
    {
        Assert.That(ApplicationFixtures.WakesAWaitAtOnce(arrivals), Is.False);
    }

    [Test]
    public void WaitAsync_NotifiedOnceAndWaitedFor_KeepsWaitingNextTime()
    {
        arrivals.Notify();
        ApplicationFixtures.WakesAWaitAtOnce(arrivals);

        Assert.That(ApplicationFixtures.WakesAWaitAtOnce(arrivals), Is.False);
    }

    [Test]
    public void Notify_Twice_DoesNotThrow()
    {
        arrivals.Notify();

        Assert.That(arrivals.Notify, Throws.Nothing);
    }

    [Test]
    public void Notify_TwiceBeforeAWait_WakesOnlyThatOneWait()
    {
        arrivals.Notify();
        arrivals.Notify();
        ApplicationFixtures.WakesAWaitAtOnce(arrivals);

        Assert.That(ApplicationFixtures.WakesAWaitAtOnce(arrivals), Is.False);
    }

    [Test]
    public async Task WaitAsync_NotNotified_EndsWhenTheTimeoutPasses()
    {
        var wait = arrivals.WaitAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None);

        // Only a guard against hanging the run: the wait ends after 20 ms.
        await wait.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(wait.IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public async Task WaitAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        var wait = arrivals.WaitAsync(Timeout.InfiniteTimeSpan, cancellation.Token);

        await cancellation.CancelAsync();

        Assert.That(async () => await wait, Throws.InstanceOf<OperationCanceledException>());
    }
}
