using System.Diagnostics.Metrics;
using Billing.Application.Common.Metrics;
using Billing.Application.PortalAudit;
using Billing.Domain.Tenants;
using Billing.Infrastructure.Persistence;
using Billing.Infrastructure.Stripe;
using Billing.Tests.Support;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Billing.Tests.Infrastructure.Persistence;

/// <summary>
/// Retention on real PostgreSQL. Where a test needs a batch caught with its transaction open, a statement trigger
/// (installed by the test only) makes the batch wait on an advisory lock the test holds: the batch has deleted its rows
/// and holds their locks, and waits there, visibly in pg_stat_activity, until the test lets it commit.
/// </summary>
public sealed class DataRetentionTests : DatabaseTestBase
{
    private const int AuditRetentionDays = 400;
    private const int StripeEventRetentionDays = 30;
    private const int BatchSize = 10;
    private const long GateKey = 7_300_423;

    // Far more than an unblocked read or write of a few rows takes, even on a busy machine.
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    private static readonly TenantId Tenant = new(Guid.NewGuid());

    private IMeterFactory meterFactory = null!;

    [SetUp]
    public async Task Migrate()
    {
        await CreateMigrator().MigrateAsync(CancellationToken.None);
        meterFactory = ApplicationFixtures.MeterFactory();
    }

    [TearDown]
    public void DisposeMeters() => meterFactory.Dispose();

    [Test]
    public async Task RunAsync_AuditRowsOnEitherSideOfTheRetention_DeletesOnlyTheOlderOnes()
    {
        await InsertAuditRowsAsync(Tenant, "older", AuditRetentionDays + 1, count: 3);
        await InsertAuditRowsAsync(Tenant, "newer", AuditRetentionDays - 1, count: 2);
        await InsertAuditRowsAsync(Tenant, "today", 0, count: 1);

        var run = await Retention().RunAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(run, Is.EqualTo(new RetentionRun(AuditRows: 3, StripeEvents: 0)));
            Assert.That(await AuditUsersAsync(), Is.EquivalentTo(new[] { "newer", "newer", "today" }));
        });
    }

    [Test]
    public async Task RunAsync_InboxEventsOfEveryStateAndAge_DeletesOnlyFinishedOnesOlderThanTheRetention()
    {
        foreach (var state in new[] { "pending", "processed", "ignored", "dead" })
        {
            await InsertEventAsync($"evt_{state}_older", state, StripeEventRetentionDays + 1);
            await InsertEventAsync($"evt_{state}_newer", state, StripeEventRetentionDays - 1);
        }

        await InsertEventAsync("evt_pending_ancient", "pending", 1_000);

        var run = await Retention().RunAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(run, Is.EqualTo(new RetentionRun(AuditRows: 0, StripeEvents: 3)));
            Assert.That((await StripeEventRows.ReadAllAsync(ConnectionString)).Select(stored => stored.Id), Is.EquivalentTo(new[]
            {
                "evt_pending_ancient", "evt_pending_older", "evt_pending_newer", "evt_processed_newer", "evt_ignored_newer", "evt_dead_newer",
            }));
        });
    }

    [Test]
    public async Task RunAsync_MoreRowsThanOneBatch_DeletesThemAllInStatementsOfAtMostOneBatch()
    {
        await InsertAuditRowsAsync(Tenant, "older", AuditRetentionDays + 1, count: 3 * BatchSize + 5);
        for (var i = 0; i < 2 * BatchSize + 3; i++)
        {
            await InsertEventAsync($"evt_{i}", "processed", StripeEventRetentionDays + 1);
        }

        await ExecuteAsync("""
            CREATE TABLE deleted_per_statement (table_name text NOT NULL, deleted bigint NOT NULL);
            CREATE FUNCTION count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO deleted_per_statement SELECT TG_TABLE_NAME, count(*) FROM old_rows;
                RETURN NULL;
            END $$;
            CREATE TRIGGER count_audit_deleted AFTER DELETE ON billing_portal_audit
                REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION count_deleted();
            CREATE TRIGGER count_events_deleted AFTER DELETE ON stripe_event
                REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION count_deleted();
            """);

        var run = await Retention().RunAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(run, Is.EqualTo(new RetentionRun(AuditRows: 3 * BatchSize + 5, StripeEvents: 2 * BatchSize + 3)));
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM billing_portal_audit"), Is.Zero);
            Assert.That(await ScalarAsync<long>("SELECT count(*) FROM stripe_event"), Is.Zero);
            Assert.That(await ScalarAsync<long>("SELECT max(deleted) FROM deleted_per_statement"), Is.EqualTo(BatchSize));
        });
    }

    [Test]
    public async Task RunAsync_TwoInstancesAtOnce_DeleteEveryOldRowOnceBetweenThemAndNothingElse()
    {
        await InsertAuditRowsAsync(Tenant, "older", AuditRetentionDays + 1, count: 10 * BatchSize);
        await InsertAuditRowsAsync(Tenant, "newer", AuditRetentionDays - 1, count: 5);

        var runs = await Task.WhenAll(
            Task.Run(() => Retention().RunAsync(CancellationToken.None)),
            Task.Run(() => Retention().RunAsync(CancellationToken.None)));

        Assert.Multiple(async () =>
        {
            Assert.That(runs.Sum(run => run?.AuditRows ?? 0), Is.EqualTo(10 * BatchSize));
            Assert.That(await AuditUsersAsync(), Is.EqualTo(Enumerable.Repeat("newer", 5)));
        });
    }

    [Test]
    public async Task RunAsync_WhileAnotherInstanceRuns_ReturnsAtOnceWithoutDeleting()
    {
        await InsertAuditRowsAsync(Tenant, "older", AuditRetentionDays + 1, count: 3);
        await using var gate = await CloseGateAsync("billing_portal_audit");
        var first = Retention().RunAsync(CancellationToken.None);
        await WaitUntilABatchWaitsAtTheGateAsync();

        var second = await Retention().RunAsync(CancellationToken.None).WaitAsync(Prompt);

        await OpenGateAsync(gate);
        Assert.Multiple(async () =>
        {
            Assert.That(second, Is.Null);
            Assert.That(await first.WaitAsync(Prompt), Is.EqualTo(new RetentionRun(AuditRows: 3, StripeEvents: 0)));
        });
    }

    [Test]
    public async Task ListAsync_WhileARetentionBatchIsUncommitted_ReadsTheTrailWithoutWaiting()
    {
        await InsertAuditRowsAsync(Tenant, "older", AuditRetentionDays + 1, count: 3);
        await InsertAuditRowsAsync(Tenant, "newer", 1, count: 2);
        await using var gate = await CloseGateAsync("billing_portal_audit");
        var run = Retention().RunAsync(CancellationToken.None);
        await WaitUntilABatchWaitsAtTheGateAsync();
        await using var repository = new PortalAuditRepository(DataSource);

        var read = await repository.ListAsync(Tenant, 50, null, CancellationToken.None).WaitAsync(Prompt);

        var runStillOpen = !run.IsCompleted;
        await OpenGateAsync(gate);
        await run.WaitAsync(Prompt);
        Assert.Multiple(() =>
        {
            Assert.That(runStillOpen, Is.True, "the read must have happened while the batch was uncommitted");
            // The batch is not committed: the read sees the rows it deletes.
            Assert.That(read.Select(record => record.UserId), Is.EqualTo(new[] { "newer", "newer", "older", "older", "older" }));
        });
    }

    [Test]
    public async Task AddAsync_WhileARetentionBatchIsUncommitted_CommitsWithoutWaiting()
    {
        await InsertAuditRowsAsync(Tenant, "older", AuditRetentionDays + 1, count: 3);
        await using var gate = await CloseGateAsync("billing_portal_audit");
        var run = Retention().RunAsync(CancellationToken.None);
        await WaitUntilABatchWaitsAtTheGateAsync();
        await using var repository = new PortalAuditRepository(DataSource);

        await repository.AddAsync(
            new PortalAuditEntry(Tenant, PortalAuditOutcome.Created, PortalAuditDetails.None, "during", "127.0.0.1", "tests", "trace"),
            CancellationToken.None).WaitAsync(Prompt);

        var runStillOpen = !run.IsCompleted;
        await OpenGateAsync(gate);
        await run.WaitAsync(Prompt);
        Assert.Multiple(async () =>
        {
            Assert.That(runStillOpen, Is.True, "the write must have happened while the batch was uncommitted");
            Assert.That(await AuditUsersAsync(), Is.EqualTo(new[] { "during" }));
        });
    }

    [Test]
    public async Task RunAsync_RowsDeleted_LogsHowManyOfEach()
    {
        await InsertAuditRowsAsync(Tenant, "older", AuditRetentionDays + 1, count: 12);
        await InsertEventAsync("evt_old", "ignored", StripeEventRetentionDays + 1);
        var logger = new FakeLogger<DataRetention>();

        await Retention(logger: logger).RunAsync(CancellationToken.None);

        var record = logger.Collector.GetSnapshot().Single(record => record.Level == LogLevel.Information);
        Assert.That(record.Message, Does.StartWith(
            "Retention deleted 12 audit rows older than 400 days and 1 finished Stripe events older than 30 days in "));
    }

    [Test]
    public async Task RunAsync_RowsDeleted_CountsThemByTable()
    {
        await InsertAuditRowsAsync(Tenant, "older", AuditRetentionDays + 1, count: 12);
        await InsertEventAsync("evt_old", "dead", StripeEventRetentionDays + 1);
        using var deleted = new MetricCollector<long>(meterFactory, BillingMetrics.MeterName, BillingMetrics.RetentionDeletedName);

        await Retention().RunAsync(CancellationToken.None);

        var byTable = deleted.GetMeasurementSnapshot()
            .GroupBy(measurement => (string)measurement.Tags["table"]!)
            .ToDictionary(group => group.Key, group => group.Sum(measurement => measurement.Value));
        Assert.That(byTable, Is.EquivalentTo(new Dictionary<string, long> { ["billing_portal_audit"] = 12, ["stripe_event"] = 1 }));
    }

    [Test]
    public async Task RetentionWorker_Started_DeletesWhatIsDueAfterItsFirstDelay()
    {
        await InsertAuditRowsAsync(Tenant, "older", AuditRetentionDays + 1, count: 3);
        using var worker = new RetentionWorker(Retention(), TimeProvider.System, NullLogger<RetentionWorker>.Instance)
        {
            FirstRunDelay = TimeSpan.Zero,
        };

        await worker.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.ReadUntilAsync(
                () => ScalarAsync<long>("SELECT count(*) FROM billing_portal_audit"), count => count == 0, "the old audit rows to be deleted", Prompt);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    private DataRetention Retention(ILogger<DataRetention>? logger = null) => new(
        DataSource,
        Options.Create(new AuditOptions { RetentionDays = AuditRetentionDays }),
        Options.Create(new StripeOptions { WebhookRetentionDays = StripeEventRetentionDays }),
        new BillingMetrics(meterFactory),
        TimeProvider.System,
        logger ?? NullLogger<DataRetention>.Instance)
    {
        BatchSize = BatchSize,
        PauseBetweenBatches = TimeSpan.Zero,
    };

    /// <summary>
    /// From now on a statement that deletes from <paramref name="table"/> waits, before it can commit, until the returned
    /// connection lets go of the gate (<see cref="OpenGateAsync"/>).
    /// </summary>
    private async Task<NpgsqlConnection> CloseGateAsync(string table)
    {
        await ExecuteAsync($"""
            CREATE FUNCTION wait_at_gate() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock({GateKey});
                RETURN NULL;
            END $$;
            CREATE TRIGGER wait_at_gate AFTER DELETE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION wait_at_gate();
            """);
        var gate = await DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({GateKey})", gate);
        await command.ExecuteNonQueryAsync();
        return gate;
    }

    private static async Task OpenGateAsync(NpgsqlConnection gate)
    {
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_unlock({GateKey})", gate);
        await command.ExecuteNonQueryAsync();
    }

    private async Task WaitUntilABatchWaitsAtTheGateAsync() => await Eventually.ReadUntilAsync(
        () => ScalarAsync<long>("""
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'
            """),
        waiting => waiting == 1,
        "a retention batch to wait at the gate with its rows deleted",
        Prompt);

    private async Task InsertAuditRowsAsync(TenantId tenant, string userId, int daysAgo, int count)
    {
        await using var command = DataSource.CreateCommand("""
            INSERT INTO billing_portal_audit (tenant_id, outcome, user_id, occurred_at)
            SELECT @TenantId, 'created', @UserId, now() - make_interval(days => @DaysAgo) FROM generate_series(1, @Count)
            """);
        command.Parameters.AddWithValue("TenantId", tenant.Value);
        command.Parameters.AddWithValue("UserId", userId);
        command.Parameters.AddWithValue("DaysAgo", daysAgo);
        command.Parameters.AddWithValue("Count", count);
        await command.ExecuteNonQueryAsync();
    }

    private async Task InsertEventAsync(string id, string state, int daysAgo)
    {
        await using var command = DataSource.CreateCommand("""
            INSERT INTO stripe_event (id, type, created_at, payload, state, received_at, processed_at)
            VALUES (@Id, 'invoice.paid', now() - make_interval(days => @DaysAgo), '{}', @State, now() - make_interval(days => @DaysAgo),
                    CASE WHEN @State IN ('processed', 'ignored') THEN now() - make_interval(days => @DaysAgo) END)
            """);
        command.Parameters.AddWithValue("Id", id);
        command.Parameters.AddWithValue("State", state);
        command.Parameters.AddWithValue("DaysAgo", daysAgo);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<IReadOnlyList<string>> AuditUsersAsync()
    {
        await using var command = DataSource.CreateCommand("SELECT user_id FROM billing_portal_audit ORDER BY occurred_at, user_id");
        await using var reader = await command.ExecuteReaderAsync();
        var users = new List<string>();
        while (await reader.ReadAsync())
        {
            users.Add(reader.GetString(0));
        }

        return users;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
