using Billing.Application.Common.Exceptions;
using Billing.Application.Common.Metrics;
using Billing.Infrastructure.Stripe;
using Billing.Tests.Infrastructure.Persistence;
using Billing.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Billing.Tests.Infrastructure.Stripe;

/// <summary>
/// The budget's SQL on real PostgreSQL. Turns are checked by the budget row's own clock (<c>next_slot</c>), which a
/// slow test machine cannot disturb, rather than by how long anything took.
/// </summary>
public sealed class StripeBudgetTests : DatabaseTestBase
{
    [SetUp]
    public Task Migrate() => CreateMigrator().MigrateAsync(CancellationToken.None);

    [Test]
    public async Task ReserveAsync_IdleBudget_GrantsTheTurnAtOnce()
    {
        var reservation = await Budget(requestsPerSecond: 10).ReserveAsync(background: false, LongWait, CancellationToken.None);

        Assert.That(reservation, Is.EqualTo(new StripeBudget.Reservation(0, Granted: true)));
    }

    [Test]
    public async Task ReserveAsync_UsersCallsInARow_AreSpacedForTheRateWithItsHeadroom()
    {
        var budget = Budget(requestsPerSecond: 10);

        var turns = new List<DateTime>();
        for (var i = 0; i < 3; i++)
        {
            await budget.ReserveAsync(background: false, LongWait, CancellationToken.None);
            turns.Add(await NextSlotAsync());
        }

        Assert.That(Spacings(turns), Is.All.EqualTo(Spacing(10)).Within(0.000_01));
    }

    [Test]
    public async Task ReserveAsync_UserWouldWaitBeyondTheMaximum_IsRefusedWithoutTakingATurn()
    {
        var budget = Budget(requestsPerSecond: 1);
        await budget.ReserveAsync(background: false, LongWait, CancellationToken.None);
        var nextSlot = await NextSlotAsync();

        var refused = await budget.ReserveAsync(background: false, TimeSpan.FromMilliseconds(500), CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(refused.Granted, Is.False);
            Assert.That(refused.WaitSeconds, Is.GreaterThan(0.5));
            Assert.That(await NextSlotAsync(), Is.EqualTo(nextSlot));
        });
    }

    [Test]
    public async Task TakeAsync_UserWouldWaitBeyondTheMaximum_ThrowsStripeBusyWithARetryAfter()
    {
        var budget = Budget(requestsPerSecond: 1, maxWaitMilliseconds: 0);
        await budget.TakeAsync(CancellationToken.None);

        var exception = await Assert.ThrowsAsync<StripeBusyException>(() => budget.TakeAsync(CancellationToken.None));

        Assert.That(exception.RetryAfter, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromSeconds(1 / StripeBudget.Headroom)));
    }

    [Test]
    public async Task ReserveAsync_BackgroundWhileUsersWait_TakesAtMostItsShareOfTurns()
    {
        var budget = Budget(requestsPerSecond: 10, maxWaitMilliseconds: 60_000, backgroundShare: 0.25);

        var (users, background) = (0, 0);
        for (var i = 0; i < 40; i++)
        {
            users += (await budget.ReserveAsync(background: false, LongWait, CancellationToken.None)).Granted ? 1 : 0;
            background += (await budget.ReserveAsync(background: true, LongWait, CancellationToken.None)).Granted ? 1 : 0;
        }

        Assert.Multiple(() =>
        {
            Assert.That(users, Is.EqualTo(40));
            // One turn more than the share: the first, taken before any user's call was waiting.
            Assert.That(background, Is.InRange(1, (int)Math.Ceiling((users + background) * 0.25) + 1));
        });
    }

    [Test]
    public async Task ReserveAsync_BackgroundWithNoUserWaiting_TakesEveryTurn()
    {
        var budget = Budget(requestsPerSecond: 10, maxWaitMilliseconds: 60_000, backgroundShare: 0.25);

        var granted = 0;
        for (var i = 0; i < 10; i++)
        {
            granted += (await budget.ReserveAsync(background: true, LongWait, CancellationToken.None)).Granted ? 1 : 0;
        }

        Assert.That(granted, Is.EqualTo(10));
    }

    [Test]
    public async Task ReportThrottledAsync_OnOneInstance_HalvesTheRateOfAnother()
    {
        var (first, second) = (Budget(requestsPerSecond: 10), Budget(requestsPerSecond: 10));
        var before = await TwoTurnsAsync(second);

        await first.ReportThrottledAsync();
        var after = await TwoTurnsAsync(second);

        Assert.That(after, Is.EqualTo(2 * before).Within(0.000_01));
    }

    [Test]
    public async Task ReportThrottledAsync_TwiceWithinASecond_HalvesOnce()
    {
        var budget = Budget(requestsPerSecond: 10);

        await budget.ReportThrottledAsync();
        await budget.ReportThrottledAsync();

        Assert.That(await ScalarAsync<double>("SELECT throttled_factor FROM stripe_budget"), Is.EqualTo(0.5));
    }

    [Test]
    public async Task ReserveAsync_TwelveSecondsAfterAHalving_RunsTwoStepsFaster()
    {
        var budget = Budget(requestsPerSecond: 10);
        await using (var halvedAWhileAgo = DataSource.CreateCommand(
            "UPDATE stripe_budget SET throttled_factor = 0.5, throttled_at = clock_timestamp() - interval '12 seconds'"))
        {
            await halvedAWhileAgo.ExecuteNonQueryAsync();
        }

        var spacing = await TwoTurnsAsync(budget);

        Assert.That(spacing, Is.EqualTo(1 / (10 * StripeBudget.Headroom * 0.7)).Within(0.000_01));
    }

    [Test]
    public async Task ReserveAsync_RowLostInACrash_PutsAnIdleOneBackAndGrants()
    {
        await using (var crash = DataSource.CreateCommand("TRUNCATE stripe_budget"))
        {
            await crash.ExecuteNonQueryAsync();
        }

        var reservation = await Budget(requestsPerSecond: 10).ReserveAsync(background: false, LongWait, CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(reservation, Is.EqualTo(new StripeBudget.Reservation(0, Granted: true)));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM stripe_budget"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task TakeAsync_CallOnTimeForItsTurn_TakesOneTurn()
    {
        var turn = await PutNextTurnAheadAsync();

        await Budget(requestsPerSecond: 10, time: new SteppingTimeProvider(TimeSpan.Zero)).TakeAsync(CancellationToken.None);

        Assert.That((await NextSlotAsync() - turn).TotalSeconds, Is.EqualTo(Spacing(10)).Within(0.000_01));
    }

    [Test]
    public async Task TakeAsync_CallLateForItsTurn_GivesItUpAndGoesOnTheNext()
    {
        var turn = await PutNextTurnAheadAsync();

        // Every clock reading is 30 ms after the one before: the call is late for each turn it gets.
        await Budget(requestsPerSecond: 10, time: new SteppingTimeProvider(TimeSpan.FromMilliseconds(30))).TakeAsync(CancellationToken.None);

        Assert.That((await NextSlotAsync() - turn).TotalSeconds, Is.EqualTo(2 * Spacing(10)).Within(0.000_01));
    }

    [Test]
    public async Task TakeAsync_UserLateWithNoWaitLeft_ThrowsStripeBusy()
    {
        var budget = Budget(requestsPerSecond: 10, maxWaitMilliseconds: 50, time: new SteppingTimeProvider(TimeSpan.FromMilliseconds(30)));

        await Assert.ThrowsAsync<StripeBusyException>(() => budget.TakeAsync(CancellationToken.None));
    }

    private static readonly TimeSpan LongWait = TimeSpan.FromSeconds(60);

    private static double Spacing(int requestsPerSecond) => 1 / (requestsPerSecond * StripeBudget.Headroom);

    private StripeBudget Budget(
        int requestsPerSecond, int maxWaitMilliseconds = 60_000, double backgroundShare = 0.5, TimeProvider? time = null) => new(
        DataSource,
        Options.Create(new StripeOptions
        {
            RateLimit = new StripeRateLimitOptions
            {
                RequestsPerSecond = requestsPerSecond, MaxWaitMilliseconds = maxWaitMilliseconds, BackgroundShare = backgroundShare,
            },
        }),
        time ?? TimeProvider.System,
        new BillingMetrics(ApplicationFixtures.MeterFactory()),
        NullLogger<StripeBudget>.Instance);

    private async Task<double> TwoTurnsAsync(StripeBudget budget)
    {
        await budget.ReserveAsync(background: false, LongWait, CancellationToken.None);
        var first = await NextSlotAsync();
        await budget.ReserveAsync(background: false, LongWait, CancellationToken.None);
        return (await NextSlotAsync() - first).TotalSeconds;
    }

    /// <summary>Makes the next turn 50 ms from now, so that the turns a call takes can be read off <c>next_slot</c>.</summary>
    private async Task<DateTime> PutNextTurnAheadAsync() =>
        await ScalarAsync<DateTime>("UPDATE stripe_budget SET next_slot = clock_timestamp() + interval '50 milliseconds' RETURNING next_slot");

    private async Task<DateTime> NextSlotAsync() => await ScalarAsync<DateTime>("SELECT next_slot FROM stripe_budget");

    private static IEnumerable<double> Spacings(List<DateTime> turns) => turns.Zip(turns.Skip(1), (a, b) => (b - a).TotalSeconds);

    /// <summary>Real timers, and a clock that moves on by <paramref name="step"/> at every reading, as if the caller paused each time.</summary>
    private sealed class SteppingTimeProvider(TimeSpan step) : TimeProvider
    {
        private long readings;

        public override long GetTimestamp() =>
            TimeProvider.System.GetTimestamp() + (Interlocked.Increment(ref readings) * step.Ticks * TimestampFrequency / TimeSpan.TicksPerSecond);
    }
}
