using Billing.Application.RateLimiting;
using Billing.Domain.Tenants;
using Dapper;
using Npgsql;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// The per-tenant windows in <c>tenant_rate_limit</c> (migration 0010): one row per tenant, counted by one statement,
/// so every instance shares the count.
/// </summary>
internal sealed class TenantRequestCounter(NpgsqlDataSource dataSource) : ITenantRequestCounter
{
    // One atomic statement: concurrent counts of a tenant queue on its row lock, and each sees the row as the one before
    // it left it. Every time is PostgreSQL's, so instances whose clocks disagree still share one window. A window that
    // has ended starts again at this request; a count that waited for the lock while another request started the next
    // window lands in that window, so the count never goes back to a window that has ended.
    private const string IncrementSql = """
        INSERT INTO tenant_rate_limit AS stored (tenant_id, window_start, request_count)
        VALUES (@TenantId, now(), 1)
        ON CONFLICT (tenant_id) DO UPDATE
        SET window_start = CASE WHEN stored.window_start + @WindowSeconds * interval '1 second' > now()
                                THEN stored.window_start ELSE now() END,
            request_count = CASE WHEN stored.window_start + @WindowSeconds * interval '1 second' > now()
                                 THEN stored.request_count + 1 ELSE 1 END
        RETURNING request_count AS Count, window_start + @WindowSeconds * interval '1 second' - now() AS Remaining
        """;

    public async Task<TenantWindowCount> IncrementAsync(TenantId tenantId, TimeSpan window, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<WindowRow>(new CommandDefinition(
            IncrementSql, new { TenantId = tenantId.Value, WindowSeconds = window.TotalSeconds }, cancellationToken: cancellationToken));
        return new TenantWindowCount(row.Count, row.Remaining);
    }

    private sealed record WindowRow(long Count, TimeSpan Remaining);
}
