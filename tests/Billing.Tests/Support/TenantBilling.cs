using Npgsql;

namespace Billing.Tests.Support;

/// <summary>A tenant's Stripe link and the billing state synced from Stripe, as <c>tenant_config</c> holds them.</summary>
internal sealed record TenantBilling(
    string? CustomerId,
    string? SubscriptionId,
    string? Status,
    string? PriceId,
    string? ProductId,
    long? Quantity,
    DateTimeOffset? CurrentPeriodEnd,
    bool? CancelAtPeriodEnd,
    DateTimeOffset? CancelAt,
    DateTimeOffset? TrialEnd,
    DateTimeOffset? SyncedAt)
{
    private const string Columns = """
        stripe_customer_id, stripe_subscription_id, subscription_status, subscription_price_id, subscription_product_id,
        subscription_quantity, subscription_current_period_end, subscription_cancel_at_period_end, subscription_cancel_at,
        subscription_trial_end, billing_synced_at
        """;

    /// <summary>What a sync of <paramref name="subscription"/> stores for the customer, but for when it ran.</summary>
    public static TenantBilling SyncedFrom(string customerId, FakeSubscription subscription) => new(
        customerId,
        subscription.Id,
        subscription.Status,
        subscription.PriceId,
        subscription.ProductId,
        subscription.Quantity,
        subscription.CurrentPeriodEnd,
        subscription.CancelAtPeriodEnd,
        subscription.CancelAt,
        subscription.TrialEnd,
        SyncedAt: null);

    /// <summary>What a sync stores for a customer without subscriptions, but for when it ran.</summary>
    public static TenantBilling NoneFor(string customerId) => new(customerId, null, "none", null, null, null, null, null, null, null, null);

    /// <summary>The tenant's row, or null if it has none.</summary>
    public static async Task<TenantBilling?> ReadAsync(string connectionString, Guid tenantId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM tenant_config WHERE tenant_id = @TenantId", connection);
        command.Parameters.AddWithValue("TenantId", tenantId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        return new TenantBilling(
            OrNull<string>(reader, 0),
            OrNull<string>(reader, 1),
            OrNull<string>(reader, 2),
            OrNull<string>(reader, 3),
            OrNull<string>(reader, 4),
            ValueOrNull<long>(reader, 5),
            ValueOrNull<DateTimeOffset>(reader, 6),
            ValueOrNull<bool>(reader, 7),
            ValueOrNull<DateTimeOffset>(reader, 8),
            ValueOrNull<DateTimeOffset>(reader, 9),
            ValueOrNull<DateTimeOffset>(reader, 10));
    }

    /// <summary>Writes the tenant's row with this state, as a sync would have left it.</summary>
    public async Task WriteAsync(string connectionString, Guid tenantId)
    {
        await TenantSeeder.UpsertAsync(connectionString, tenantId, CustomerId, SubscriptionId);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            UPDATE tenant_config
            SET subscription_status = @Status, subscription_price_id = @PriceId, subscription_product_id = @ProductId,
                subscription_quantity = @Quantity, subscription_current_period_end = @CurrentPeriodEnd,
                subscription_cancel_at_period_end = @CancelAtPeriodEnd, subscription_cancel_at = @CancelAt,
                subscription_trial_end = @TrialEnd, billing_synced_at = @SyncedAt
            WHERE tenant_id = @TenantId
            """, connection);
        command.Parameters.AddWithValue("TenantId", tenantId);
        command.Parameters.AddWithValue("Status", (object?)Status ?? DBNull.Value);
        command.Parameters.AddWithValue("PriceId", (object?)PriceId ?? DBNull.Value);
        command.Parameters.AddWithValue("ProductId", (object?)ProductId ?? DBNull.Value);
        command.Parameters.AddWithValue("Quantity", (object?)Quantity ?? DBNull.Value);
        command.Parameters.AddWithValue("CurrentPeriodEnd", (object?)CurrentPeriodEnd ?? DBNull.Value);
        command.Parameters.AddWithValue("CancelAtPeriodEnd", (object?)CancelAtPeriodEnd ?? DBNull.Value);
        command.Parameters.AddWithValue("CancelAt", (object?)CancelAt ?? DBNull.Value);
        command.Parameters.AddWithValue("TrialEnd", (object?)TrialEnd ?? DBNull.Value);
        command.Parameters.AddWithValue("SyncedAt", (object?)SyncedAt ?? DBNull.Value);
        await command.ExecuteNonQueryAsync();
    }

    private static T? OrNull<T>(NpgsqlDataReader reader, int ordinal)
        where T : class => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);

    private static T? ValueOrNull<T>(NpgsqlDataReader reader, int ordinal)
        where T : struct => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);
}
