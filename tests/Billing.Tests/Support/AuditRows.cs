using Npgsql;

namespace Billing.Tests.Support;

/// <summary>Reads a tenant's portal audit rows straight from the database, as an auditor would.</summary>
internal static class AuditRows
{
    /// <summary>The tenant's rows as stored, oldest first, each as its outcome and the whole row as text.</summary>
    public static Task<IReadOnlyList<(string Outcome, string Row)>> ReadAsync(string connectionString, Guid tenantId) =>
        ReadAsync(connectionString, tenantId, "outcome, a::text");

    /// <summary>The tenant's rows as stored, oldest first, each as what was done (<c>action</c>) and how it ended.</summary>
    public static Task<IReadOnlyList<(string Action, string Outcome)>> ReadActionsAsync(string connectionString, Guid tenantId) =>
        ReadAsync(connectionString, tenantId, "action, outcome");

    private static async Task<IReadOnlyList<(string, string)>> ReadAsync(string connectionString, Guid tenantId, string twoColumns)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT {twoColumns} FROM billing_portal_audit a WHERE tenant_id = @TenantId ORDER BY id", connection);
        command.Parameters.AddWithValue("TenantId", tenantId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }
}
