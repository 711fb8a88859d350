using Npgsql;

namespace Billing.Tests.Support;

/// <summary>One row of the <c>stripe_event</c> inbox, without its payload.</summary>
internal sealed record StoredStripeEvent(
    string Id, string Type, string State, int Attempts, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset? ProcessedAt);

/// <summary>Reads (and, to stage a crash, writes) the <c>stripe_event</c> inbox straight in the database.</summary>
internal static class StripeEventRows
{
    /// <summary>Long enough for a few of the worker's one-second polls and a couple of retries.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);

    private const string Columns = "id, type, state, attempts, last_error, created_at, next_attempt_at, processed_at";

    public static async Task<StoredStripeEvent?> FindAsync(string connectionString, string id) =>
        (await QueryAsync(connectionString, $"SELECT {Columns} FROM stripe_event WHERE id = @Id", ("Id", id))).SingleOrDefault();

    public static Task<IReadOnlyList<StoredStripeEvent>> ReadAllAsync(string connectionString) =>
        QueryAsync(connectionString, $"SELECT {Columns} FROM stripe_event ORDER BY received_at, id");

    public static async Task<long> CountAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM stripe_event", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Returns the event once its state is one of <paramref name="states"/>.</summary>
    /// <exception cref="TimeoutException">It was not within <paramref name="timeout"/> (by default <see cref="DefaultWait"/>).</exception>
    public static async Task<StoredStripeEvent> WaitForStateAsync(string connectionString, string id, string[] states, TimeSpan? timeout = null) =>
        (await Eventually.ReadUntilAsync(
            () => FindAsync(connectionString, id),
            stored => stored is not null && states.Contains(stored.State),
            $"event {id} to be {string.Join(" or ", states)}",
            timeout ?? DefaultWait))!;

    /// <summary>Stores an event as the webhook endpoint does before its 200, as a process that crashed right after would leave it.</summary>
    public static async Task InsertPendingAsync(string connectionString, string id, string type, DateTimeOffset created, string payload)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "INSERT INTO stripe_event (id, type, created_at, payload) VALUES (@Id, @Type, @CreatedAt, @Payload::jsonb)", connection);
        command.Parameters.AddWithValue("Id", id);
        command.Parameters.AddWithValue("Type", type);
        command.Parameters.AddWithValue("CreatedAt", created);
        command.Parameters.AddWithValue("Payload", payload);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Ends the lease of an event that a killed process had claimed, as the passing of the lease's minute would, so
    /// that a test need not wait that minute.
    /// </summary>
    public static async Task EndLeaseAsync(string connectionString, string id)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE stripe_event SET next_attempt_at = now() WHERE id = @Id", connection);
        command.Parameters.AddWithValue("Id", id);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<IReadOnlyList<StoredStripeEvent>> QueryAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<StoredStripeEvent>();
        while (await reader.ReadAsync())
        {
            rows.Add(new StoredStripeEvent(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return rows;
    }
}
