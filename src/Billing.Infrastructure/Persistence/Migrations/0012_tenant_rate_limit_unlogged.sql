-- A count is worth nothing after its window, so it is not worth a WAL flush on every request. Logged (migration 0010),
-- each count waited for its own commit to reach the disk while holding the tenant's row lock: with all requests on
-- one tenant, bench/side-by-side.sh measured the portal's p50 at 100 requests/s at 47 ms against main's 17-21 ms,
-- and 335-379 requests/s at 32 connections against 1,000-1,300. Unlogged, a count writes no WAL and its commit does
-- not wait. The price: a PostgreSQL crash empties the table, and a promoted standby starts with it empty, so each
-- tenant may start a fresh window early, once. Nothing else depends on these rows.
ALTER TABLE tenant_rate_limit SET UNLOGGED;
