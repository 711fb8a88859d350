using System.Data;
using Billing.Application.Common.Metrics;
using Billing.Infrastructure.Stripe;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// Deletes what outlived its retention: audit rows older than <c>Audit:RetentionDays</c>, and finished (processed,
/// ignored or dead) inbox events received more than <c>Stripe:WebhookRetentionDays</c> ago. Never a pending event.
/// </summary>
/// <remarks>
/// Each batch is one statement of at most <see cref="BatchSize"/> rows, so its own short transaction: it holds row
/// locks on the rows it deletes only, which no request reads under a lock or writes (reads see their snapshot, and the
/// audit writer only inserts). A pause between batches leaves the server to requests and vacuum. Instances take turns
/// through a session advisory lock: one that finds it taken skips its run, as the holder does the same work.
/// </remarks>
internal sealed partial class DataRetention(
    NpgsqlDataSource dataSource,
    IOptions<AuditOptions> auditOptions,
    IOptions<StripeOptions> stripeOptions,
    BillingMetrics metrics,
    TimeProvider time,
    ILogger<DataRetention> logger)
{
    public const string AuditTable = "billing_portal_audit";
    public const string StripeEventTable = "stripe_event";

    private const string TryLockSql = "SELECT pg_try_advisory_lock(hashtextextended('data-retention', 0))";
    private const string UnlockSql = "SELECT pg_advisory_unlock(hashtextextended('data-retention', 0))";

    // Oldest first, through migration 0009's index. SKIP LOCKED: should two runs ever overlap, they take different rows
    // instead of waiting on each other.
    private const string DeleteAuditBatchSql = """
        DELETE FROM billing_portal_audit
        WHERE id = ANY (ARRAY(
            SELECT id FROM billing_portal_audit
            WHERE occurred_at < now() - make_interval(days => @RetentionDays)
            ORDER BY occurred_at
            LIMIT @BatchSize
            FOR UPDATE SKIP LOCKED))
        """;

    // FOR UPDATE reads each row again once it holds it: an event replayed (set back to pending) meanwhile is left alone,
    // and nothing can change a row between its lock and its deletion.
    private const string DeleteStripeEventBatchSql = """
        DELETE FROM stripe_event
        WHERE id = ANY (ARRAY(
            SELECT id FROM stripe_event
            WHERE state <> 'pending' AND received_at < now() - make_interval(days => @RetentionDays)
            ORDER BY received_at
            LIMIT @BatchSize
            FOR UPDATE SKIP LOCKED))
        """;

    private readonly int auditRetentionDays = auditOptions.Value.RetentionDays;
    private readonly int stripeEventRetentionDays = stripeOptions.Value.WebhookRetentionDays;

    /// <summary>The most rows one statement deletes.</summary>
    public int BatchSize { get; init; } = 1_000;

    /// <summary>The wait after each full batch.</summary>
    public TimeSpan PauseBetweenBatches { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Deletes everything due, batch by batch; null when another instance's run holds the lock.</summary>
    public async Task<RetentionRun?> RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(TryLockSql, cancellationToken: cancellationToken)))
        {
            LogSkipped(logger);
            return null;
        }

        try
        {
            var started = time.GetTimestamp();
            var auditRows = await DeleteAllAsync(connection, AuditTable, DeleteAuditBatchSql, auditRetentionDays, cancellationToken);
            var stripeEvents = await DeleteAllAsync(connection, StripeEventTable, DeleteStripeEventBatchSql, stripeEventRetentionDays, cancellationToken);
            var run = new RetentionRun(auditRows, stripeEvents);
            var elapsedMilliseconds = (long)time.GetElapsedTime(started).TotalMilliseconds;
            LogDeleted(logger, auditRows, auditRetentionDays, stripeEvents, stripeEventRetentionDays, elapsedMilliseconds);
            return run;
        }
        finally
        {
            // The pool does not reset connections (No Reset On Close): the lock must not go back with this one. A broken
            // connection's session, and with it the lock, has ended on the server already.
            if (connection.FullState == ConnectionState.Open)
            {
                await connection.ExecuteScalarAsync<bool>(new CommandDefinition(UnlockSql, cancellationToken: CancellationToken.None));
            }
        }
    }

    private async Task<long> DeleteAllAsync(
        NpgsqlConnection connection, string table, string batchSql, int retentionDays, CancellationToken cancellationToken)
    {
        long deleted = 0;
        while (true)
        {
            var batch = await connection.ExecuteAsync(new CommandDefinition(
                batchSql, new { RetentionDays = retentionDays, BatchSize }, cancellationToken: cancellationToken));
            if (batch > 0)
            {
                deleted += batch;
                metrics.RetentionDeleted(table, batch);
            }

            // A short batch is the last; rows another run holds are left to it.
            if (batch < BatchSize)
            {
                return deleted;
            }

            await Task.Delay(PauseBetweenBatches, time, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Retention deleted {AuditRows} audit rows older than {AuditRetentionDays} days and {StripeEvents} finished Stripe events older than {StripeEventRetentionDays} days in {ElapsedMilliseconds} ms")]
    private static partial void LogDeleted(ILogger logger, long auditRows, int auditRetentionDays, long stripeEvents, int stripeEventRetentionDays, long elapsedMilliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Retention skipped: another instance is running it")]
    private static partial void LogSkipped(ILogger logger);
}

/// <summary>What one retention run deleted.</summary>
internal sealed record RetentionRun(long AuditRows, long StripeEvents);
