using Billing.Application.PortalAudit;
using Billing.Domain.Tenants;
using Billing.Infrastructure.Persistence;

namespace Billing.Tests.Infrastructure.Persistence;

public sealed class PortalAuditRepositoryTests : DatabaseTestBase
{
    private static readonly TenantId Tenant = new(Guid.NewGuid());
    private static readonly TenantId OtherTenant = new(Guid.NewGuid());

    private PortalAuditRepository repository = null!;

    [SetUp]
    public async Task Migrate()
    {
        await CreateMigrator().MigrateAsync(CancellationToken.None);
        repository = new PortalAuditRepository(DataSource);
    }

    [TearDown]
    public async Task StopWriter() => await repository.DisposeAsync();

    [Test]
    public async Task AddAsync_FullEntry_StoresEveryFieldAndReadsItBack()
    {
        var details = new PortalAuditDetails("cus_1", "bps_1", "payment_method_update", "fr", "https://app.example.com/x", "bpc_1", "req_1");
        await repository.AddAsync(new PortalAuditEntry(Tenant, PortalAuditOutcome.Created, details, "user-1", "203.0.113.7", "Mozilla/5.0", "00-abc-def-01"), CancellationToken.None);

        var record = (await repository.ListAsync(Tenant, 10, null, CancellationToken.None)).Single();

        Assert.Multiple(() =>
        {
            Assert.That(record with { Id = 0, OccurredAt = default }, Is.EqualTo(new PortalAuditRecord(
                0, default, "user-1", "created", "cus_1", "bps_1", "payment_method_update", "fr", "https://app.example.com/x",
                "bpc_1", "203.0.113.7", "Mozilla/5.0", "req_1", "00-abc-def-01")));
            Assert.That(record.OccurredAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
        });
    }

    [TestCaseSource(nameof(AllOutcomes))]
    public async Task AddAsync_EveryOutcome_IsAcceptedByTheTable(PortalAuditOutcome outcome)
    {
        await repository.AddAsync(Entry(Tenant, outcome), CancellationToken.None);

        var record = (await repository.ListAsync(Tenant, 10, null, CancellationToken.None)).Single();
        Assert.That(record.Outcome, Is.EqualTo(outcome.ToWireName()));
    }

    [Test]
    public async Task AddAsync_Ipv6Client_IsStoredAsAnAddress()
    {
        await repository.AddAsync(Entry(Tenant, PortalAuditOutcome.Forbidden) with { ClientIp = "2001:db8::1" }, CancellationToken.None);

        var record = (await repository.ListAsync(Tenant, 10, null, CancellationToken.None)).Single();
        Assert.That(record.ClientIp, Is.EqualTo("2001:db8::1"));
    }

    [Test]
    public async Task ListAsync_TwoTenants_ReturnsOnlyTheAskingTenantsRows()
    {
        await repository.AddAsync(Entry(Tenant, PortalAuditOutcome.Created), CancellationToken.None);
        await repository.AddAsync(Entry(OtherTenant, PortalAuditOutcome.Forbidden), CancellationToken.None);

        var records = await repository.ListAsync(Tenant, 10, null, CancellationToken.None);

        Assert.That(records.Select(record => record.Outcome), Is.EqualTo(new[] { "created" }));
    }

    [Test]
    public async Task ListAsync_PagedWithTheLastRowAsCursor_WalksEveryRowOnceNewestFirst()
    {
        for (var i = 0; i < 5; i++)
        {
            await repository.AddAsync(Entry(Tenant, PortalAuditOutcome.Created) with { UserId = $"user-{i}" }, CancellationToken.None);
        }

        var seen = new List<string?>();
        PortalAuditCursor? before = null;
        for (var page = 0; page < 5; page++)
        {
            var rows = await repository.ListAsync(Tenant, 2, before, CancellationToken.None);
            if (rows.Count == 0)
            {
                break;
            }

            seen.AddRange(rows.Select(row => row.UserId));
            before = new PortalAuditCursor(rows[^1].OccurredAt, rows[^1].Id);
        }

        Assert.That(seen, Is.EqualTo(new[] { "user-4", "user-3", "user-2", "user-1", "user-0" }));
    }

    [Test]
    public async Task AddAsync_ManyAtOnce_CommitsEveryRowInFewerWritesThanRows()
    {
        var users = Enumerable.Range(0, 200).Select(i => $"user-{i}").ToArray();

        await Task.WhenAll(users.Select(user => repository.AddAsync(Entry(Tenant, PortalAuditOutcome.Created) with { UserId = user }, CancellationToken.None)));

        var records = await repository.ListAsync(Tenant, 100, null, CancellationToken.None);
        var all = records.Concat(await repository.ListAsync(Tenant, 100, new PortalAuditCursor(records[^1].OccurredAt, records[^1].Id), CancellationToken.None)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(all.Select(record => record.UserId), Is.EquivalentTo(users));
            // Rows written together share their transaction's timestamp.
            Assert.That(all.Select(record => record.OccurredAt).Distinct().Count(), Is.LessThan(users.Length));
        });
    }

    [Test]
    public async Task AddAsync_DatabaseUnreachable_FailsEveryWaitingCaller()
    {
        await using var unreachable = Npgsql.NpgsqlDataSource.Create($"Host=127.0.0.1;Port={Support.UnusedPort.Next()};Username=billing;Timeout=2");
        await using var failing = new PortalAuditRepository(unreachable);

        var writes = Enumerable.Range(0, 5).Select(_ => failing.AddAsync(Entry(Tenant, PortalAuditOutcome.Created), CancellationToken.None)).ToArray();

        foreach (var write in writes)
        {
            await Assert.ThrowsAsync<Npgsql.NpgsqlException>(async () => await write);
        }
    }

    [Test]
    public async Task AddAsync_AfterDispose_ThrowsInsteadOfLosingTheRow()
    {
        await repository.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => repository.AddAsync(Entry(Tenant, PortalAuditOutcome.Created), CancellationToken.None));
    }

    private static PortalAuditOutcome[] AllOutcomes() => Enum.GetValues<PortalAuditOutcome>();

    private static PortalAuditEntry Entry(TenantId tenantId, PortalAuditOutcome outcome) =>
        new(tenantId, outcome, PortalAuditDetails.None, "user-1", "127.0.0.1", "tests", "trace");
}
