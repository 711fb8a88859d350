using System.Threading.Channels;
using Billing.Application.PortalAudit;
using Billing.Domain.Tenants;
using Dapper;
using Npgsql;

namespace Billing.Infrastructure.Persistence;

/// <summary>
/// Writes audit rows in groups: the rows that arrive while one write is in flight go out together in the next,
/// as one INSERT and one commit. Each caller still waits until its own row is committed, so the trail stays
/// durable (a URL is never handed out before its row is on disk), while under load a commit and a connection
/// serve many requests instead of one each.
/// </summary>
internal sealed class PortalAuditRepository : IPortalAuditRepository, IAsyncDisposable
{
    // Bounds one statement's size: 17 arrays of at most this many elements.
    private const int MaxRowsPerWrite = 500;

    private const string InsertSql = """
        INSERT INTO billing_portal_audit
            (tenant_id, action, user_id, outcome, stripe_customer_id, portal_session_id, flow, locale, return_url,
             configuration, client_ip, user_agent, stripe_request_id, trace_id, checkout_session_id, price_id, quantity)
        SELECT tenant_id, action, user_id, outcome, stripe_customer_id, portal_session_id, flow, locale, return_url,
               configuration, client_ip::inet, user_agent, stripe_request_id, trace_id, checkout_session_id, price_id, quantity
        FROM unnest(@TenantIds, @Actions, @UserIds, @Outcomes, @StripeCustomerIds, @PortalSessionIds, @Flows, @Locales,
                    @ReturnUrls, @Configurations, @ClientIps, @UserAgents, @StripeRequestIds, @TraceIds,
                    @CheckoutSessionIds, @PriceIds, @Quantities)
            AS row (tenant_id, action, user_id, outcome, stripe_customer_id, portal_session_id, flow, locale, return_url,
                    configuration, client_ip, user_agent, stripe_request_id, trace_id, checkout_session_id, price_id, quantity)
        """;

    private const string ListColumns = """
        SELECT id AS Id, occurred_at AS OccurredAt, user_id AS UserId, outcome AS Outcome,
               stripe_customer_id AS StripeCustomerId, portal_session_id AS PortalSessionId, flow AS Flow,
               locale AS Locale, return_url AS ReturnUrl, configuration AS Configuration,
               host(client_ip) AS ClientIp, user_agent AS UserAgent, stripe_request_id AS StripeRequestId,
               trace_id AS TraceId, action AS Action, checkout_session_id AS CheckoutSessionId, price_id AS PriceId,
               quantity AS Quantity
        FROM billing_portal_audit
        """;

    private const string FirstPageSql = $"""
        {ListColumns}
        WHERE tenant_id = @TenantId
        ORDER BY occurred_at DESC, id DESC
        LIMIT @Limit
        """;

    // A statement of its own, not "cursor IS NULL OR ...": a prepared statement's generic plan could not then seek the
    // index to the cursor, and a deep page would read every newer row of the tenant (bench/audit-read.sh: 559 buffers
    // against 54).
    private const string NextPageSql = $"""
        {ListColumns}
        WHERE tenant_id = @TenantId AND (occurred_at, id) < (@BeforeOccurredAt, @BeforeId)
        ORDER BY occurred_at DESC, id DESC
        LIMIT @Limit
        """;

    private readonly NpgsqlDataSource dataSource;
    private readonly Channel<PendingRow> pending = Channel.CreateUnbounded<PendingRow>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task writer;

    public PortalAuditRepository(NpgsqlDataSource dataSource)
    {
        this.dataSource = dataSource;
        writer = Task.Run(WriteGroupsAsync);
    }

    /// <summary>Completes once the row is committed; cancelling stops the wait, not the write.</summary>
    public Task AddAsync(PortalAuditEntry entry, CancellationToken cancellationToken)
    {
        var row = new PendingRow(entry);
        if (!pending.Writer.TryWrite(row))
        {
            throw new ObjectDisposedException(nameof(PortalAuditRepository), "The service is shutting down.");
        }

        return row.Committed.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        await writer;
    }

    private async Task WriteGroupsAsync()
    {
        var group = new List<PendingRow>(MaxRowsPerWrite);
        while (await pending.Reader.WaitToReadAsync())
        {
            while (group.Count < MaxRowsPerWrite && pending.Reader.TryRead(out var row))
            {
                group.Add(row);
            }

            try
            {
                await InsertAsync(group);
                group.ForEach(row => row.Committed.TrySetResult());
            }
            catch (Exception exception)
            {
                // Nothing of the group is stored (one statement), so each waiting request fails with the cause.
                group.ForEach(row => row.Committed.TrySetException(exception));
            }

            group.Clear();
        }
    }

    private async Task InsertAsync(List<PendingRow> group)
    {
        var entries = group.ConvertAll(row => row.Entry);
        string?[] Texts(Func<PortalAuditEntry, string?> field) => entries.ConvertAll(entry => field(entry)).ToArray();

        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            TenantIds = entries.ConvertAll(entry => entry.TenantId.Value).ToArray(),
            Actions = Texts(entry => entry.Details.Action),
            UserIds = Texts(entry => entry.UserId),
            Outcomes = Texts(entry => entry.Outcome.ToWireName()),
            StripeCustomerIds = Texts(entry => entry.Details.StripeCustomerId),
            PortalSessionIds = Texts(entry => entry.Details.PortalSessionId),
            Flows = Texts(entry => entry.Details.Flow),
            Locales = Texts(entry => entry.Details.Locale),
            ReturnUrls = Texts(entry => entry.Details.ReturnUrl),
            Configurations = Texts(entry => entry.Details.Configuration),
            ClientIps = Texts(entry => entry.ClientIp),
            UserAgents = Texts(entry => entry.UserAgent),
            StripeRequestIds = Texts(entry => entry.Details.StripeRequestId),
            TraceIds = Texts(entry => entry.TraceId),
            CheckoutSessionIds = Texts(entry => entry.Details.CheckoutSessionId),
            PriceIds = Texts(entry => entry.Details.PriceId),
            Quantities = entries.ConvertAll(entry => entry.Details.Quantity).ToArray(),
        }));
    }

    public async Task<IReadOnlyList<PortalAuditRecord>> ListAsync(
        TenantId tenantId, int limit, PortalAuditCursor? before, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<PortalAuditRow>(new CommandDefinition(before is null ? FirstPageSql : NextPageSql, new
        {
            TenantId = tenantId.Value,
            BeforeOccurredAt = before?.OccurredAt,
            BeforeId = before?.Id ?? 0,
            Limit = limit,
        }, cancellationToken: cancellationToken));
        return rows.Select(row => row.ToRecord()).ToList();
    }

    private sealed record PendingRow(PortalAuditEntry Entry)
    {
        // Completed on the writer's loop; the waiting request resumes on the thread pool, not on that loop.
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    // Npgsql reads timestamptz as a UTC DateTime; the record exposes it as a DateTimeOffset.
    private sealed record PortalAuditRow(
        long Id, DateTime OccurredAt, string? UserId, string Outcome, string? StripeCustomerId, string? PortalSessionId,
        string? Flow, string? Locale, string? ReturnUrl, string? Configuration, string? ClientIp, string? UserAgent,
        string? StripeRequestId, string? TraceId, string Action, string? CheckoutSessionId, string? PriceId, int? Quantity)
    {
        public PortalAuditRecord ToRecord() => new(
            Id, new DateTimeOffset(DateTime.SpecifyKind(OccurredAt, DateTimeKind.Utc)), UserId, Outcome, StripeCustomerId,
            PortalSessionId, Flow, Locale, ReturnUrl, Configuration, ClientIp, UserAgent, StripeRequestId, TraceId, Action,
            CheckoutSessionId, PriceId, Quantity);
    }
}
