-- The in-memory tenant cache that listened to these notifications is gone: a tenant lookup is one primary-key read,
-- which costs nothing next to the Stripe call it precedes. Without a listener the triggers would be dead weight on
-- every write to tenant_config.
DROP TRIGGER tenant_config_inserted ON tenant_config;
DROP TRIGGER tenant_config_updated ON tenant_config;
DROP TRIGGER tenant_config_deleted ON tenant_config;
DROP TRIGGER tenant_config_truncated ON tenant_config;
DROP FUNCTION notify_tenant_config_changed();
