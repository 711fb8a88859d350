using Billing.Application.StripeEvents;
using Dapper;
using Npgsql;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// The <c>stripe_event</c> table. Instances share it: a claim takes the oldest due event with <c>FOR UPDATE SKIP
/// LOCKED</c> and leases it by moving its next attempt forward, so no transaction stays open while Stripe is asked,
/// and an instance that dies mid-event leaves it to the next claim once the lease ends.
/// </summary>
internal sealed class StripeEventInbox(NpgsqlDataSource dataSource) : IStripeEventInbox
{
    private const string AddSql = """
        INSERT INTO stripe_event (id, type, created_at, payload)
        VALUES (@Id, @Type, @Created, @Payload::jsonb)
        ON CONFLICT (id) DO NOTHING
        """;

    private const string ClaimSql = """
        UPDATE stripe_event
        SET attempts = attempts + 1, next_attempt_at = now() + @Lease
        WHERE id = (SELECT id FROM stripe_event
                    WHERE state = 'pending' AND next_attempt_at <= now()
                    ORDER BY next_attempt_at
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED)
        RETURNING id AS Id, type AS Type, created_at AS Created, payload::text AS Payload, attempts AS Attempts
        """;

    private const string CompleteSql = """
        UPDATE stripe_event SET state = @State, processed_at = now(), last_error = @Note WHERE id = @Id
        """;

    private const string RetryLaterSql = """
        UPDATE stripe_event SET next_attempt_at = @NextAttemptAt, last_error = @Error WHERE id = @Id AND state = 'pending'
        """;

    private const string MarkDeadSql = """
        UPDATE stripe_event SET state = 'dead', last_error = @Error WHERE id = @Id
        """;

    private const string OldestPendingSql = """
        SELECT min(received_at) FROM stripe_event WHERE state = 'pending'
        """;

    public async Task<bool> AddAsync(StripeEvent stripeEvent, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(AddSql, new
        {
            stripeEvent.Id,
            stripeEvent.Type,
            stripeEvent.Created,
            stripeEvent.Payload,
        }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<StoredStripeEvent?> ClaimNextAsync(TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ClaimedRow>(
            new CommandDefinition(ClaimSql, new { Lease = lease }, cancellationToken: cancellationToken));
        return row is null
            ? null
            : new StoredStripeEvent(new StripeEvent(row.Id, row.Type, new DateTimeOffset(DateTime.SpecifyKind(row.Created, DateTimeKind.Utc)), row.Payload), row.Attempts);
    }

    public Task CompleteAsync(string eventId, bool ignored, string? note, CancellationToken cancellationToken) =>
        ExecuteAsync(CompleteSql, new { Id = eventId, State = ignored ? "ignored" : "processed", Note = note }, cancellationToken);

    public Task RetryLaterAsync(string eventId, string failure, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken) =>
        ExecuteAsync(RetryLaterSql, new { Id = eventId, Error = failure, NextAttemptAt = nextAttemptAt }, cancellationToken);

    public Task MarkDeadAsync(string eventId, string failure, CancellationToken cancellationToken) =>
        ExecuteAsync(MarkDeadSql, new { Id = eventId, Error = failure }, cancellationToken);

    public async Task<DateTimeOffset?> OldestPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var oldest = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(OldestPendingSql, cancellationToken: cancellationToken));
        return oldest is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;
    }

    private async Task ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    // Npgsql reads timestamptz as a UTC DateTime.
    private sealed record ClaimedRow(string Id, string Type, DateTime Created, string Payload, int Attempts);
}
