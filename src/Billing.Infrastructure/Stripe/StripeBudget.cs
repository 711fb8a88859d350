using Billing.Application.Common.Exceptions;
using Billing.Application.Common.Metrics;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// Stripe's rate limit, shared by every instance through one PostgreSQL row: each Stripe call reserves the next turn
/// (turns are one spacing apart, as a generic cell rate algorithm does) and waits for it. A user's call waits at most
/// <see cref="StripeRateLimitOptions.MaxWaitMilliseconds"/>, or is refused at once; background work takes at most its
/// share of turns while users wait, and waits as long as it must. After Stripe answers 429, every instance runs at half
/// the rate, recovering a tenth of the full rate every five seconds.
/// </summary>
internal sealed partial class StripeBudget(
    NpgsqlDataSource dataSource, IOptions<StripeOptions> options, TimeProvider time, BillingMetrics metrics, ILogger<StripeBudget> logger)
{
    // Stripe counts calls per second as they arrive, and a call reaches it some time after its turn. Turns are spaced
    // for 5% less than the configured rate, so that a second still holds no more calls than the rate when one call
    // arrives up to 50 ms late and the next on time. A call later than MissedAfter (a collection, a process not
    // scheduled on a busy machine: measured up to a second on cold processes) gives its turn up and takes another.
    internal const double Headroom = 0.95;

    internal static readonly TimeSpan MissedAfter = TimeSpan.FromMilliseconds(25);

    private const double RecoveryStep = 0.1;
    private const int RecoverySeconds = 5;
    private const double MinimumFactor = 0.05;

    // How long background work sleeps when it may not take a turn yet, at the most.
    private static readonly TimeSpan BackgroundRetry = TimeSpan.FromMilliseconds(250);

    private const string Factor = """
        CASE WHEN throttled_at IS NULL THEN 1.0
             ELSE least(1.0, throttled_factor + @RecoveryStep * floor(extract(epoch FROM clock_timestamp() - throttled_at) / @RecoverySeconds))
        END
        """;

    // One statement: the row is locked only while the turn is reserved, never while the caller waits for it.
    private const string ReserveSql = $"""
        WITH state AS (
            SELECT clock.now, greatest(next_slot, clock.now) AS turn, interactive_until, background_next_slot, {Factor} AS factor
            FROM stripe_budget, LATERAL (SELECT clock_timestamp() AS now) AS clock
            FOR UPDATE OF stripe_budget),
        decision AS (
            SELECT now, turn, factor,
                   turn - now <= make_interval(secs => @MaxWaitSeconds)
                   AND (NOT @Background OR interactive_until <= now OR background_next_slot <= turn) AS granted
            FROM state),
        taken AS (
            UPDATE stripe_budget
            SET next_slot = decision.turn + make_interval(secs => @SpacingSeconds / decision.factor),
                interactive_until = CASE WHEN @Background THEN interactive_until ELSE decision.turn END,
                background_next_slot = CASE WHEN @Background
                    THEN decision.turn + make_interval(secs => @SpacingSeconds / decision.factor / @BackgroundShare)
                    ELSE background_next_slot END
            FROM decision
            WHERE decision.granted)
        SELECT extract(epoch FROM turn - now)::double precision AS WaitSeconds, granted AS Granted FROM decision
        """;

    // The row is gone after a crash (the table is unlogged, migration 0011): put an idle one back.
    private const string RestoreSql = "INSERT INTO stripe_budget DEFAULT VALUES ON CONFLICT DO NOTHING";

    // In-flight calls all meet the same 429: only the first within a second halves the rate.
    private const string ThrottleSql = $"""
        UPDATE stripe_budget
        SET throttled_factor = greatest(@MinimumFactor, {Factor} / 2), throttled_at = clock_timestamp()
        WHERE throttled_at IS NULL OR throttled_at < clock_timestamp() - interval '1 second'
        """;

    private readonly StripeRateLimitOptions limits = options.Value.RateLimit;

    /// <summary>Waits for the current call's turn.</summary>
    /// <exception cref="StripeBusyException">A user's call would wait longer than allowed.</exception>
    /// <exception cref="NpgsqlException">PostgreSQL failed: the call is not made.</exception>
    public async Task TakeAsync(CancellationToken cancellationToken)
    {
        var background = StripeCallPriority.IsBackground;
        var priority = background ? "background" : "interactive";
        var maxWait = TimeSpan.FromMilliseconds(limits.MaxWaitMilliseconds);
        var started = time.GetTimestamp();
        var missedOnce = false;
        while (true)
        {
            // A user waits at most maxWait in all, a missed turn included; background work waits as long as it must.
            var allowed = background ? maxWait : TimeSpan.FromTicks(Math.Max(0, (maxWait - time.GetElapsedTime(started)).Ticks));
            var asked = time.GetTimestamp();
            var reservation = await ReserveAsync(background, allowed, cancellationToken);
            var wait = TimeSpan.FromSeconds(Math.Max(0, reservation.WaitSeconds));
            if (reservation.Granted)
            {
                metrics.StripeBudgetWaited(priority, wait);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken);
                }

                // Late is counted from before the turn was asked for, so a pause anywhere on the way counts. A second
                // miss goes anyway: a database slower than MissedAfter must not spend every turn twice over.
                if (missedOnce || time.GetElapsedTime(asked) - wait <= MissedAfter)
                {
                    return;
                }

                metrics.StripeBudgetMissed(priority);
                missedOnce = true;
                continue;
            }

            if (!background)
            {
                metrics.StripeBudgetRefused();
                throw new StripeBusyException(
                    wait - allowed,
                    $"Stripe's budget of {limits.RequestsPerSecond} calls per second is spent for the next {wait.TotalSeconds:0.0} s.");
            }

            await Task.Delay(BackgroundRetry, time, cancellationToken);
        }
    }

    /// <summary>Stripe answered 429 although the budget allowed the call: every instance slows down.</summary>
    public async Task ReportThrottledAsync()
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        if (await connection.ExecuteAsync(ThrottleSql, new { MinimumFactor, RecoveryStep, RecoverySeconds }) == 1)
        {
            metrics.StripeThrottled();
            LogThrottled(logger, limits.RequestsPerSecond);
        }
    }

    /// <summary>
    /// One attempt to reserve the next turn, granted if it is at most <paramref name="maxWait"/> away;
    /// <see cref="Reservation.WaitSeconds"/> is how far ahead it is, granted or not.
    /// </summary>
    internal async Task<Reservation> ReserveAsync(bool background, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var reserve = new CommandDefinition(ReserveSql, new
        {
            Background = background,
            SpacingSeconds = 1.0 / (limits.RequestsPerSecond * Headroom),
            limits.BackgroundShare,
            // Background work reserves no further ahead than a user may wait, so users never queue behind it for longer.
            MaxWaitSeconds = maxWait.TotalSeconds,
            RecoveryStep,
            RecoverySeconds,
        }, cancellationToken: cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await connection.QuerySingleOrDefaultAsync<Reservation>(reserve) is { } reservation)
        {
            return reservation;
        }

        await connection.ExecuteAsync(new CommandDefinition(RestoreSql, cancellationToken: cancellationToken));
        return await connection.QuerySingleAsync<Reservation>(reserve);
    }

    internal sealed record Reservation(double WaitSeconds, bool Granted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe answered 429: every instance halves its rate (configured {RequestsPerSecond}/s) and recovers step by step")]
    private static partial void LogThrottled(ILogger logger, int requestsPerSecond);
}
