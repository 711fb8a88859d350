-- The Stripe budget every instance shares: one row, locked for the moment it takes to reserve a call's turn. Its
-- times are PostgreSQL's clock (clock_timestamp()), so instances with skewed clocks still agree.
-- next_slot: when the next call may start (each reservation moves it one spacing on).
-- interactive_until: the latest turn a user's call has reserved; while it is ahead, users are waiting.
-- background_next_slot: while users wait, the earliest turn background work may take.
-- throttled_at, throttled_factor: the rate after Stripe's last 429, recovering step by step from then.
CREATE TABLE stripe_budget (
    id                   boolean          PRIMARY KEY DEFAULT true CHECK (id),
    next_slot            timestamptz      NOT NULL DEFAULT '-infinity',
    interactive_until    timestamptz      NOT NULL DEFAULT '-infinity',
    background_next_slot timestamptz      NOT NULL DEFAULT '-infinity',
    throttled_at         timestamptz      NULL,
    throttled_factor     double precision NOT NULL DEFAULT 1 CHECK (throttled_factor > 0 AND throttled_factor <= 1)
);
INSERT INTO stripe_budget DEFAULT VALUES;

-- A user told that billing is busy (503) leaves a 'stripe_busy' row. NOT VALID, as in migration 0005.
ALTER TABLE billing_portal_audit DROP CONSTRAINT billing_portal_audit_outcome_check;
ALTER TABLE billing_portal_audit ADD CONSTRAINT billing_portal_audit_outcome_check CHECK (outcome IN
    ('created', 'synced', 'no_customer', 'no_subscription', 'subscription_exists', 'forbidden', 'rate_limited', 'stripe_error',
     'stripe_busy', 'invalid_request', 'abandoned'))
    NOT VALID;
