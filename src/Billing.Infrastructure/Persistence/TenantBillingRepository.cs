using Billing.Application.Subscriptions;
using Billing.Domain.Tenants;
using Dapper;
using Npgsql;

namespace Billing.Infrastructure.Persistence;

/// <summary>The Stripe link and billing state columns of <c>tenant_config</c>.</summary>
internal sealed class TenantBillingRepository(NpgsqlDataSource dataSource) : ITenantBillingRepository
{
    private const string UniqueViolation = "23505";

    // Longer than the lock holder's two Stripe calls at their default deadline (2 x 10 s), which the usual command timeout is not.
    private const int CustomerLockWaitSeconds = 30;

    private const string FindSql = """
        SELECT stripe_customer_id AS StripeCustomerId, subscription_status AS Status, stripe_subscription_id AS SubscriptionId,
               subscription_price_id AS PriceId, subscription_product_id AS ProductId, subscription_quantity AS Quantity,
               subscription_current_period_end AS CurrentPeriodEnd, subscription_cancel_at_period_end AS CancelAtPeriodEnd,
               subscription_cancel_at AS CancelAt, subscription_trial_end AS TrialEnd, billing_synced_at AS SyncedAt
        FROM tenant_config
        WHERE tenant_id = @TenantId
        """;

    private const string FindTenantByCustomerSql = """
        SELECT tenant_id FROM tenant_config WHERE stripe_customer_id = @StripeCustomerId
        """;

    // Only a read that started after the stored one may replace it, and only while the tenant keeps that customer.
    private const string SaveStateSql = """
        UPDATE tenant_config
        SET subscription_status = @Status, stripe_subscription_id = @SubscriptionId, subscription_price_id = @PriceId,
            subscription_product_id = @ProductId, subscription_quantity = @Quantity,
            subscription_current_period_end = @CurrentPeriodEnd, subscription_cancel_at_period_end = @CancelAtPeriodEnd,
            subscription_cancel_at = @CancelAt, subscription_trial_end = @TrialEnd, billing_synced_at = @SyncedAt,
            updated_at = now()
        WHERE tenant_id = @TenantId AND stripe_customer_id = @StripeCustomerId
          AND (billing_synced_at IS NULL OR billing_synced_at < @SyncedAt)
        """;

    private const string LinkSql = """
        INSERT INTO tenant_config (tenant_id, stripe_customer_id)
        VALUES (@TenantId, @StripeCustomerId)
        ON CONFLICT (tenant_id) DO UPDATE
        SET stripe_customer_id = excluded.stripe_customer_id, updated_at = now()
        WHERE tenant_config.stripe_customer_id IS NULL OR tenant_config.stripe_customer_id = ''
        """;

    private const string CustomerOfTenantSql = """
        SELECT stripe_customer_id FROM tenant_config WHERE tenant_id = @TenantId
        """;

    // Held until the transaction ends, also when the process dies: PostgreSQL drops a lost session's locks.
    private const string LockTenantCustomerSql = """
        SELECT pg_advisory_xact_lock(hashtextextended('tenant-customer:' || @TenantId::text, 0))
        """;

    private const string UnlinkSql = """
        UPDATE tenant_config
        SET stripe_customer_id = NULL, stripe_subscription_id = NULL, subscription_status = NULL, subscription_price_id = NULL,
            subscription_product_id = NULL, subscription_quantity = NULL, subscription_current_period_end = NULL,
            subscription_cancel_at_period_end = NULL, subscription_cancel_at = NULL, subscription_trial_end = NULL,
            billing_synced_at = NULL, updated_at = now()
        WHERE stripe_customer_id = @StripeCustomerId
        RETURNING tenant_id
        """;

    public async Task<TenantBilling?> FindAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<BillingRow>(
            new CommandDefinition(FindSql, new { TenantId = tenantId.Value }, cancellationToken: cancellationToken));
        return row is null ? null : new TenantBilling(tenantId, row.StripeCustomerId, row.ToState());
    }

    public async Task<TenantId?> FindTenantByCustomerAsync(string stripeCustomerId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var tenant = await connection.QuerySingleOrDefaultAsync<Guid?>(
            new CommandDefinition(FindTenantByCustomerSql, new { StripeCustomerId = stripeCustomerId }, cancellationToken: cancellationToken));
        return tenant is { } value ? new TenantId(value) : null;
    }

    public async Task<bool> SaveStateAsync(TenantId tenantId, string stripeCustomerId, SubscriptionState state, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(SaveStateSql, new
        {
            TenantId = tenantId.Value,
            StripeCustomerId = stripeCustomerId,
            state.Status,
            state.SubscriptionId,
            state.PriceId,
            state.ProductId,
            state.Quantity,
            state.CurrentPeriodEnd,
            state.CancelAtPeriodEnd,
            state.CancelAt,
            state.TrialEnd,
            state.SyncedAt,
        }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<CustomerLink> LinkCustomerAsync(TenantId tenantId, string stripeCustomerId, CancellationToken cancellationToken)
    {
        var parameters = new { TenantId = tenantId.Value, StripeCustomerId = stripeCustomerId };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            if (await connection.ExecuteAsync(new CommandDefinition(LinkSql, parameters, cancellationToken: cancellationToken)) == 1)
            {
                return CustomerLink.Linked;
            }
        }
        catch (PostgresException exception) when (exception.SqlState == UniqueViolation)
        {
            return CustomerLink.CustomerHasAnotherTenant;
        }

        var existing = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(CustomerOfTenantSql, parameters, cancellationToken: cancellationToken));
        return existing == stripeCustomerId ? CustomerLink.AlreadyLinked : CustomerLink.TenantHasAnotherCustomer;
    }

    public async Task<string> GetOrCreateCustomerAsync(
        TenantId tenantId, Func<CancellationToken, Task<string>> createCustomer, CancellationToken cancellationToken)
    {
        var parameters = new { TenantId = tenantId.Value };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            LockTenantCustomerSql, parameters, transaction, commandTimeout: CustomerLockWaitSeconds, cancellationToken: cancellationToken));
        var existing = await connection.ExecuteScalarAsync<string?>(
            new CommandDefinition(CustomerOfTenantSql, parameters, transaction, cancellationToken: cancellationToken));
        if (!string.IsNullOrWhiteSpace(existing))
        {
            return existing;
        }

        var created = await createCustomer(cancellationToken);
        // The customer exists in Stripe now: link it even if the caller has hung up meanwhile.
        await connection.ExecuteAsync(new CommandDefinition(
            LinkSql, new { TenantId = tenantId.Value, StripeCustomerId = created }, transaction, cancellationToken: CancellationToken.None));
        await transaction.CommitAsync(CancellationToken.None);
        return created;
    }

    public async Task<TenantId?> UnlinkCustomerAsync(string stripeCustomerId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var tenant = await connection.QuerySingleOrDefaultAsync<Guid?>(
            new CommandDefinition(UnlinkSql, new { StripeCustomerId = stripeCustomerId }, cancellationToken: cancellationToken));
        return tenant is { } value ? new TenantId(value) : null;
    }

    // Npgsql reads timestamptz as a UTC DateTime; the state exposes DateTimeOffsets.
    private sealed record BillingRow(
        string? StripeCustomerId, string? Status, string? SubscriptionId, string? PriceId, string? ProductId, long? Quantity,
        DateTime? CurrentPeriodEnd, bool? CancelAtPeriodEnd, DateTime? CancelAt, DateTime? TrialEnd, DateTime? SyncedAt)
    {
        public SubscriptionState? ToState() => Status is null
            ? null
            : new SubscriptionState(
                Status, SubscriptionId, PriceId, ProductId, Quantity, Utc(CurrentPeriodEnd), CancelAtPeriodEnd, Utc(CancelAt), Utc(TrialEnd), Utc(SyncedAt));

        private static DateTimeOffset? Utc(DateTime? value) =>
            value is { } utc ? new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)) : null;
    }
}
