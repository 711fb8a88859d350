-- A caller who hangs up while Stripe is being asked may still have caused a session, so such a request leaves a
-- row too: 'abandoned'. The new check only widens the old one, which every existing row passed, so it is added
-- NOT VALID: validating it would scan the whole table under a lock that blocks the audit writer.
ALTER TABLE billing_portal_audit DROP CONSTRAINT billing_portal_audit_outcome_check;
ALTER TABLE billing_portal_audit ADD CONSTRAINT billing_portal_audit_outcome_check CHECK (outcome IN
    ('created', 'no_customer', 'no_subscription', 'forbidden', 'rate_limited', 'stripe_error', 'invalid_request', 'abandoned'))
    NOT VALID;
