-- The audit trail records Checkout next to the portal and the sync: the session, price and quantity asked for, and
-- 'subscription_exists' for a tenant sent to the portal instead. Checks added NOT VALID, as in migration 0005.
ALTER TABLE billing_portal_audit ADD COLUMN checkout_session_id text NULL;
ALTER TABLE billing_portal_audit ADD COLUMN price_id text NULL;
ALTER TABLE billing_portal_audit ADD COLUMN quantity integer NULL;
ALTER TABLE billing_portal_audit DROP CONSTRAINT billing_portal_audit_action_check;
ALTER TABLE billing_portal_audit ADD CONSTRAINT billing_portal_audit_action_check CHECK (action IN ('portal', 'sync', 'checkout')) NOT VALID;
ALTER TABLE billing_portal_audit DROP CONSTRAINT billing_portal_audit_outcome_check;
ALTER TABLE billing_portal_audit ADD CONSTRAINT billing_portal_audit_outcome_check CHECK (outcome IN
    ('created', 'synced', 'no_customer', 'no_subscription', 'subscription_exists', 'forbidden', 'rate_limited', 'stripe_error',
     'invalid_request', 'abandoned'))
    NOT VALID;
