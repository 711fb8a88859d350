using Billing.Infrastructure.Persistence;

namespace Billing.Tests.Infrastructure.Persistence;

public sealed class DatabaseMigratorTests : DatabaseTestBase
{
    [Test]
    public async Task MigrateAsync_EmptyDatabase_CreatesTheSchemaAndJournalsEveryScript()
    {
        await CreateMigrator().MigrateAsync(CancellationToken.None);

        var columns = await ScalarAsync<string>("""
            SELECT string_agg(column_name || ':' || data_type || ':' || is_nullable, ',' ORDER BY ordinal_position)
            FROM information_schema.columns WHERE table_name = 'tenant_config'
            """);
        var auditIndex = await ScalarAsync<string>(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'billing_portal_audit_tenant_occurred_at_idx'");
        var triggers = await ScalarAsync<string>(
            "SELECT string_agg(tgname, ',' ORDER BY tgname) FROM pg_trigger WHERE tgrelid = 'tenant_config'::regclass");
        var journaled = await ScalarAsync<long>("SELECT count(*) FROM schema_versions");
        Assert.Multiple(() =>
        {
            Assert.That(columns, Is.EqualTo(
                "tenant_id:uuid:NO,stripe_customer_id:text:YES,created_at:timestamp with time zone:NO,updated_at:timestamp with time zone:NO," +
                "stripe_subscription_id:text:YES,portal_configuration_id:text:YES,subscription_status:text:YES," +
                "subscription_price_id:text:YES,subscription_product_id:text:YES,subscription_quantity:bigint:YES," +
                "subscription_current_period_end:timestamp with time zone:YES,subscription_cancel_at_period_end:boolean:YES," +
                "subscription_cancel_at:timestamp with time zone:YES,subscription_trial_end:timestamp with time zone:YES," +
                "billing_synced_at:timestamp with time zone:YES"));
            Assert.That(auditIndex, Does.Contain("(tenant_id, occurred_at DESC, id DESC)"));
            Assert.That(triggers, Is.EqualTo("tenant_config_deleted,tenant_config_inserted,tenant_config_truncated,tenant_config_updated"));
            Assert.That(journaled, Is.EqualTo(DatabaseMigrator.ScriptNames.Count).And.EqualTo(12));
        });
    }

    [Test]
    public async Task MigrateAsync_AlreadyMigrated_ChangesNothing()
    {
        await CreateMigrator().MigrateAsync(CancellationToken.None);
        var journaledBefore = await ScalarAsync<long>("SELECT count(*) FROM schema_versions");

        await CreateMigrator().MigrateAsync(CancellationToken.None);

        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM schema_versions"), Is.EqualTo(journaledBefore));
    }

    [Test]
    public async Task MigrateAsync_TwoInstancesAtOnce_BothSucceedAndApplyEachScriptOnce()
    {
        await Task.WhenAll(
            Task.Run(() => CreateMigrator().MigrateAsync(CancellationToken.None)),
            Task.Run(() => CreateMigrator().MigrateAsync(CancellationToken.None)));

        Assert.That(await ScalarAsync<long>("SELECT count(*) FROM schema_versions"), Is.EqualTo(DatabaseMigrator.ScriptNames.Count));
    }
}
