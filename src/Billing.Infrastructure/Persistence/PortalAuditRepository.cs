using Billing.Application.PortalAudit;
using Billing.Domain.Tenants;
using Dapper;
using Npgsql;

namespace Billing.Infrastructure.Persistence;

/// <summary>The <c>billing_portal_audit</c> table: one INSERT per row, committed before the caller goes on.</summary>
internal sealed class PortalAuditRepository(NpgsqlDataSource dataSource) : IPortalAuditRepository
{
    private const string InsertSql = """
        INSERT INTO billing_portal_audit
            (tenant_id, action, user_id, outcome, stripe_customer_id, portal_session_id, flow, locale, return_url,
             configuration, client_ip, user_agent, stripe_request_id, trace_id)
        VALUES
            (@TenantId, @Action, @UserId, @Outcome, @StripeCustomerId, @PortalSessionId, @Flow, @Locale, @ReturnUrl,
             @Configuration, @ClientIp::inet, @UserAgent, @StripeRequestId, @TraceId)
        """;

    private const string ListSql = """
        SELECT id AS Id, occurred_at AS OccurredAt, user_id AS UserId, outcome AS Outcome,
               stripe_customer_id AS StripeCustomerId, portal_session_id AS PortalSessionId, flow AS Flow,
               locale AS Locale, return_url AS ReturnUrl, configuration AS Configuration,
               host(client_ip) AS ClientIp, user_agent AS UserAgent, stripe_request_id AS StripeRequestId,
               trace_id AS TraceId, action AS Action
        FROM billing_portal_audit
        WHERE tenant_id = @TenantId
          AND (@BeforeOccurredAt::timestamptz IS NULL OR (occurred_at, id) < (@BeforeOccurredAt, @BeforeId))
        ORDER BY occurred_at DESC, id DESC
        LIMIT @Limit
        """;

    public async Task AddAsync(PortalAuditEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            TenantId = entry.TenantId.Value,
            entry.Details.Action,
            entry.UserId,
            Outcome = entry.Outcome.ToWireName(),
            entry.Details.StripeCustomerId,
            entry.Details.PortalSessionId,
            entry.Details.Flow,
            entry.Details.Locale,
            entry.Details.ReturnUrl,
            entry.Details.Configuration,
            entry.ClientIp,
            entry.UserAgent,
            entry.Details.StripeRequestId,
            entry.TraceId,
        }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<PortalAuditRecord>> ListAsync(
        TenantId tenantId, int limit, PortalAuditCursor? before, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<PortalAuditRow>(new CommandDefinition(ListSql, new
        {
            TenantId = tenantId.Value,
            BeforeOccurredAt = before?.OccurredAt,
            BeforeId = before?.Id ?? 0,
            Limit = limit,
        }, cancellationToken: cancellationToken));
        return rows.Select(row => row.ToRecord()).ToList();
    }

    // Npgsql reads timestamptz as a UTC DateTime; the record exposes it as a DateTimeOffset.
    private sealed record PortalAuditRow(
        long Id, DateTime OccurredAt, string? UserId, string Outcome, string? StripeCustomerId, string? PortalSessionId,
        string? Flow, string? Locale, string? ReturnUrl, string? Configuration, string? ClientIp, string? UserAgent,
        string? StripeRequestId, string? TraceId, string Action)
    {
        public PortalAuditRecord ToRecord() => new(
            Id, new DateTimeOffset(DateTime.SpecifyKind(OccurredAt, DateTimeKind.Utc)), UserId, Outcome, StripeCustomerId,
            PortalSessionId, Flow, Locale, ReturnUrl, Configuration, ClientIp, UserAgent, StripeRequestId, TraceId, Action);
    }
}
