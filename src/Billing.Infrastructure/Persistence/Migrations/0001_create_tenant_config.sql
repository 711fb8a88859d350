-- One row per tenant that has billing set up; stripe_customer_id stays null until the tenant is linked to Stripe.
CREATE TABLE tenant_config (
    tenant_id          uuid        PRIMARY KEY,
    stripe_customer_id text        NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
