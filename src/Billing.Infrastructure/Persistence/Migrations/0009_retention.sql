-- Retention (DataRetention) deletes old rows in batches of 1,000, oldest first. These indexes find each batch
-- without reading the table; without them every batch would scan it whole.
--
-- The audit rows by age: a btree, not a BRIN. A BRIN is tiny while rows lie in the order they were written, but once
-- retention frees the oldest pages, new rows fill them, and a BRIN range only ever widens: each range would then
-- match every cutoff, and each batch would scan the table again. A btree stays exact; new rows go to its right edge.
--
-- Not CONCURRENTLY: DbUp runs each script in a transaction (DatabaseMigrator, WithTransactionPerScript), where
-- PostgreSQL refuses CREATE INDEX CONCURRENTLY. A plain CREATE INDEX takes a SHARE lock: reads of the table go on,
-- but its writes wait for the build, and during a rolling deploy instances still running write audit rows. The build
-- took 23 s on a table of 10,000,000 rows (bench/audit-read.sh, 2 cores), about 2 s a million rows, and an audit
-- write fails after Database:CommandTimeoutSeconds (5 s). So on a table of more than a million or two rows, build
-- the same index beforehand with CREATE INDEX CONCURRENTLY (docs/operations.md, migration 0009): IF NOT EXISTS then
-- makes this script a no-op.
CREATE INDEX IF NOT EXISTS billing_portal_audit_occurred_at_idx ON billing_portal_audit (occurred_at);

-- The inbox's finished events by age. Partial: pending events, which retention never deletes, are not in it.
CREATE INDEX IF NOT EXISTS stripe_event_finished_received_at_idx ON stripe_event (received_at) WHERE state <> 'pending';
