using Billing.Application.Common.Interfaces;
using Billing.Domain.Tenants;
using Dapper;
using Npgsql;

namespace Billing.Infrastructure.Persistence;

internal sealed class TenantConfigRepository(NpgsqlDataSource dataSource) : ITenantConfigRepository
{
    private const string FindSql = """
        SELECT stripe_customer_id AS StripeCustomerId,
               stripe_subscription_id AS StripeSubscriptionId,
               portal_configuration_id AS PortalConfigurationId
        FROM tenant_config
        WHERE tenant_id = @TenantId
        """;

    public async Task<TenantConfig?> FindAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TenantConfigRow>(
            new CommandDefinition(FindSql, new { TenantId = tenantId.Value }, cancellationToken: cancellationToken));
        return row is null
            ? null
            : new TenantConfig(tenantId, row.StripeCustomerId, row.StripeSubscriptionId, row.PortalConfigurationId);
    }

    private sealed record TenantConfigRow(string? StripeCustomerId, string? StripeSubscriptionId, string? PortalConfigurationId);
}
