-- The subscription the subscription deep links act on, and an optional per-tenant portal configuration.
ALTER TABLE tenant_config
    ADD COLUMN stripe_subscription_id  text NULL,
    ADD COLUMN portal_configuration_id text NULL;
