using Npgsql;

namespace Billing.Tests.Support;

/// <summary>Writes tenant_config rows the way an onboarding process would, straight into the database.</summary>
internal static class TenantSeeder
{
    private const string UpsertSql = """
        INSERT INTO tenant_config (tenant_id, stripe_customer_id, stripe_subscription_id, portal_configuration_id)
        VALUES (@TenantId, @StripeCustomerId, @StripeSubscriptionId, @PortalConfigurationId)
        ON CONFLICT (tenant_id) DO UPDATE
        SET stripe_customer_id = excluded.stripe_customer_id,
            stripe_subscription_id = excluded.stripe_subscription_id,
            portal_configuration_id = excluded.portal_configuration_id,
            updated_at = now()
        """;

    public static async Task UpsertAsync(
        string connectionString, Guid tenantId, string? stripeCustomerId, string? stripeSubscriptionId = null, string? portalConfigurationId = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(UpsertSql, connection);
        command.Parameters.AddWithValue("TenantId", tenantId);
        command.Parameters.AddWithValue("StripeCustomerId", (object?)stripeCustomerId ?? DBNull.Value);
        command.Parameters.AddWithValue("StripeSubscriptionId", (object?)stripeSubscriptionId ?? DBNull.Value);
        command.Parameters.AddWithValue("PortalConfigurationId", (object?)portalConfigurationId ?? DBNull.Value);
        await command.ExecuteNonQueryAsync();
    }
}
