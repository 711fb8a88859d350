-- One row for every portal request that carried a valid tenant. Never holds the portal URL: it is a credential.
CREATE TABLE billing_portal_audit (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at        timestamptz NOT NULL DEFAULT now(),
    tenant_id          uuid        NOT NULL,
    user_id            text        NULL,
    outcome            text        NOT NULL CHECK (outcome IN
                           ('created', 'no_customer', 'no_subscription', 'forbidden', 'rate_limited', 'stripe_error', 'invalid_request')),
    stripe_customer_id text        NULL,
    portal_session_id  text        NULL,
    flow               text        NULL,
    locale             text        NULL,
    return_url         text        NULL,
    configuration      text        NULL,
    client_ip          inet        NULL,
    user_agent         text        NULL,
    stripe_request_id  text        NULL,
    trace_id           text        NULL
);

-- Serves the tenant's trail, newest first, page by page (keyset on occurred_at, id).
CREATE INDEX billing_portal_audit_tenant_occurred_at_idx
    ON billing_portal_audit (tenant_id, occurred_at DESC, id DESC);
