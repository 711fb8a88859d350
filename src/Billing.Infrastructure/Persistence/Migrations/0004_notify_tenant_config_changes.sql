-- Tells every instance which tenants' settings changed, so that each can drop them from its in-memory cache.
-- pg_notify is transactional: the notification goes out at commit, after the new row is visible. A statement that
-- touches more than 100 rows (a bulk import, TRUNCATE) sends a single '*' instead: drop everything.
CREATE FUNCTION notify_tenant_config_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed bigint := 0;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT count(*) INTO changed FROM new_rows;
    ELSIF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT count(*) INTO changed FROM old_rows;
    END IF;

    IF TG_OP = 'TRUNCATE' OR changed > 100 THEN
        PERFORM pg_notify('tenant_config_changed', '*');
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM pg_notify('tenant_config_changed', tenant_id::text) FROM new_rows;
    ELSIF TG_OP = 'UPDATE' THEN
        -- Both sides: an update may change the key itself.
        PERFORM pg_notify('tenant_config_changed', tenant_id::text)
        FROM (SELECT tenant_id FROM old_rows UNION SELECT tenant_id FROM new_rows) AS changed_rows;
    ELSE
        PERFORM pg_notify('tenant_config_changed', tenant_id::text) FROM old_rows;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER tenant_config_inserted AFTER INSERT ON tenant_config
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_tenant_config_changed();
CREATE TRIGGER tenant_config_updated AFTER UPDATE ON tenant_config
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_tenant_config_changed();
CREATE TRIGGER tenant_config_deleted AFTER DELETE ON tenant_config
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_tenant_config_changed();
CREATE TRIGGER tenant_config_truncated AFTER TRUNCATE ON tenant_config
    FOR EACH STATEMENT EXECUTE FUNCTION notify_tenant_config_changed();
