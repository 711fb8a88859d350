-- The per-tenant rate limit (Portal:RateLimit), counted here rather than in each process's memory, so that N instances
-- allow PermitLimit requests per window per tenant in total, not N times that. One row per tenant: the start of its
-- current fixed window and the requests counted in it, overwritten in place when a new window starts.
--
-- No retention is needed. The table grows with the number of tenants that ever made a rate-limited request (one short
-- row each, like tenant_config), never with traffic or time: an idle tenant's row is just an ended window, which its
-- next request starts again. No foreign key either: a tenant without a tenant_config row is still counted (its 404s
-- are rate-limited too).
--
-- Every count rewrites its row and changes no indexed column; the free space that fillfactor leaves in each page lets
-- those writes stay HOT updates (no index entry, the dead version pruned within the page).
CREATE TABLE tenant_rate_limit (
    tenant_id     uuid        PRIMARY KEY,
    window_start  timestamptz NOT NULL,
    request_count bigint      NOT NULL
) WITH (fillfactor = 50);
