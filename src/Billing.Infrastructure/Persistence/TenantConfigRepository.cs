using Billing.Application.Common.Interfaces;
using Billing.Domain.Tenants;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Billing.Infrastructure.Persistence;

internal sealed partial class TenantConfigRepository(NpgsqlDataSource dataSource, ILogger<TenantConfigRepository> logger)
    : ITenantConfigRepository
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
        try
        {
            return await QueryAsync(tenantId, cancellationToken);
        }
        catch (NpgsqlException exception) when (IsWorthRetrying(exception, cancellationToken))
        {
            // A read is safe to repeat. The usual cause is a pooled connection that died with a server restart or
            // failover, and the second attempt gets a fresh one.
            LogRetry(logger, exception.SqlState ?? exception.InnerException?.GetType().Name ?? "none");
            return await QueryAsync(tenantId, cancellationToken);
        }
    }

    // A timeout is transient too, but repeating it would only double what the user waits for an unresponsive server.
    private static bool IsWorthRetrying(NpgsqlException exception, CancellationToken cancellationToken) =>
        exception.IsTransient && exception.InnerException is not TimeoutException && !cancellationToken.IsCancellationRequested;

    private async Task<TenantConfig?> QueryAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TenantConfigRow>(
            new CommandDefinition(FindSql, new { TenantId = tenantId.Value }, cancellationToken: cancellationToken));
        return row is null
            ? null
            : new TenantConfig(tenantId, row.StripeCustomerId, row.StripeSubscriptionId, row.PortalConfigurationId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tenant lookup failed with a transient database error ({Cause}); retrying once")]
    private static partial void LogRetry(ILogger logger, string cause);

    private sealed record TenantConfigRow(string? StripeCustomerId, string? StripeSubscriptionId, string? PortalConfigurationId);
}
