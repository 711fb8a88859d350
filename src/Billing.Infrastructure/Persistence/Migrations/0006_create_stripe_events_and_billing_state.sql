-- Every Stripe event whose signature verified, stored before the webhook answers 200 so that nothing Stripe was told
-- we have is lost, and processed by a worker on any instance. An event is a signal: processing re-reads the
-- customer's subscriptions from Stripe, so order and duplicates cannot leave wrong state.
CREATE TABLE stripe_event (
    id              text        PRIMARY KEY,
    type            text        NOT NULL,
    created_at      timestamptz NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    payload         text        NOT NULL,
    state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'processed', 'ignored', 'dead')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text        NULL,
    processed_at    timestamptz NULL
);

-- The worker's query: the due pending events, oldest first.
CREATE INDEX stripe_event_due_idx ON stripe_event (next_attempt_at) WHERE state = 'pending';

-- The tenant's billing state as last read from Stripe. subscription_status is null until the first sync, and 'none'
-- when the customer has no subscription.
ALTER TABLE tenant_config
    ADD COLUMN subscription_status               text        NULL,
    ADD COLUMN subscription_price_id             text        NULL,
    ADD COLUMN subscription_product_id           text        NULL,
    ADD COLUMN subscription_quantity             bigint      NULL,
    ADD COLUMN subscription_current_period_end   timestamptz NULL,
    ADD COLUMN subscription_cancel_at_period_end boolean     NULL,
    ADD COLUMN subscription_cancel_at            timestamptz NULL,
    ADD COLUMN subscription_trial_end            timestamptz NULL,
    ADD COLUMN billing_synced_at                 timestamptz NULL;

-- Events name customers, not tenants: this finds the tenant, and makes sure one customer never serves two tenants.
CREATE UNIQUE INDEX tenant_config_stripe_customer_id_key ON tenant_config (stripe_customer_id)
    WHERE stripe_customer_id IS NOT NULL AND stripe_customer_id <> '';

-- The audit trail records the interactive sync next to the portal.
-- Added NOT VALID, as in migration 0005: every existing row is a portal row, and validating would scan the table
-- under a lock that blocks the audit writes.
ALTER TABLE billing_portal_audit ADD COLUMN action text NOT NULL DEFAULT 'portal';
ALTER TABLE billing_portal_audit ADD CONSTRAINT billing_portal_audit_action_check CHECK (action IN ('portal', 'sync')) NOT VALID;
ALTER TABLE billing_portal_audit DROP CONSTRAINT billing_portal_audit_outcome_check;
ALTER TABLE billing_portal_audit ADD CONSTRAINT billing_portal_audit_outcome_check CHECK (outcome IN
    ('created', 'synced', 'no_customer', 'no_subscription', 'forbidden', 'rate_limited', 'stripe_error', 'invalid_request', 'abandoned'))
    NOT VALID;
