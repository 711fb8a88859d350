#!/usr/bin/env bash
# The audit trail at 10,000,000 rows (issue 23, "Bounded growth"). Starts a PostgreSQL of its own (default settings,
# as bench/run.sh), lets the API built in Release apply the migrations, loads BENCH_AUDIT_ROWS audit rows spread over
# BENCH_AUDIT_TENANTS tenants and BENCH_AUDIT_DAYS days (one row of each tenant in turn, so a tenant's rows lie on
# different pages, as they do when many tenants write at once), and then prints:
#   1. how long migration 0009's CREATE INDEX takes on that table (it is dropped before the load and built after);
#   2. EXPLAIN (ANALYZE, BUFFERS) of the trail's read (PortalAuditRepository.ListSql, taken from the source) for one
#      tenant: the first page of 50 and a later page after a cursor, each with the plan PostgreSQL picks for the
#      values (custom) and the one it may switch to for a prepared statement (generic), as Npgsql prepares it;
#   3. EXPLAIN of one retention batch (DataRetention's DELETE, from the source), rolled back;
#   4. pgbench's latency for the first page of random tenants, BENCH_AUDIT_READ_SECONDS long, without deletion and
#      then while the API's retention job deletes the rows older than Audit:RetentionDays (400 days);
#   5. the retention run's own log line: rows deleted and how long it took.
# About 10-15 minutes on 2 cores and ~4 GB of disk; nothing is left running (BENCH_KEEP=1 keeps the work directory).
set -euo pipefail
cd "$(dirname "$0")/.."

rows=${BENCH_AUDIT_ROWS:-10000000}
tenants=${BENCH_AUDIT_TENANTS:-10000}
days=${BENCH_AUDIT_DAYS:-450}               # more than the retention's 400, so that retention has rows to delete
read_seconds=${BENCH_AUDIT_READ_SECONDS:-20}
tenant_n=${BENCH_AUDIT_TENANT:-4242}        # the tenant whose trail is EXPLAINed

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
command -v psql >/dev/null || missing+=(postgresql-client)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v curl >/dev/null || missing+=(curl)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing what the benchmark needs: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

work=$(mktemp -d /tmp/billing-audit-bench.XXXXXX)
chmod 755 "$work"
api_pid=""
pgbin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$pgbin/$1" "${@:2}"; else "$pgbin/$1" "${@:2}"; fi; }

cleanup() {
  [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null
  [ -f "$work/pg/postmaster.pid" ] && pg pg_ctl stop -D "$work/pg" -m fast >/dev/null 2>&1
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "Kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() {
  local port
  while :; do
    port=$(shuf -i 10000-30000 -n 1)
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
source bench/common.sh
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# --- PostgreSQL: default settings ---
pg_port=$(free_port)
[ "$(id -u)" -eq 0 ] && chown postgres "$work"
pg initdb -D "$work/pg" -U postgres -A trust -E UTF8 >/dev/null
pg pg_ctl start -D "$work/pg" -w -l "$work/pg.log" -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1" >/dev/null ||
  { tail -n 20 "$work/pg.log" >&2; exit 1; }
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d "${2:-billing}" -c "$1"; }
sql "CREATE DATABASE billing" postgres
log "PostgreSQL $(sql 'SHOW server_version'), port $pg_port, shared_buffers=$(sql 'SHOW shared_buffers'), maintenance_work_mem=$(sql 'SHOW maintenance_work_mem')"

# --- The API, built in Release: it applies the migrations, and later runs the retention job ---
log "Publishing the API in Release"
dotnet publish src/Billing.Api/Billing.Api.csproj -c Release -o "$work/api" --nologo -v q >/dev/null
api_port=$(free_port)
api="http://127.0.0.1:$api_port"
issuer=https://issuer.bench.local
start_api() {
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$api" \
  ConnectionStrings__Billing="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=billing" \
  Stripe__SecretKey=sk_test_bench Stripe__ApiBase=http://127.0.0.1:9 App__PublicUrl=https://app.example.com \
  Cors__AllowedOrigins__0=https://app.example.com \
  Authentication__Schemes__Bearer__ValidIssuer=$issuer Authentication__Schemes__Bearer__ValidAudiences__0=billing-api \
  Authentication__Schemes__Bearer__SigningKeys__0__Issuer=$issuer \
  Authentication__Schemes__Bearer__SigningKeys__0__Value="$(head -c 32 /dev/urandom | base64 -w0)" \
    bash -c "cd '$work/api' && exec dotnet Billing.Api.dll" >> "$work/api.log" 2>&1 &
  api_pid=$!
  wait_ready "$api/health/ready" "$api_pid" "$work/api.log" 0.1
}
stop_api() { kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""; }

start_api
stop_api
log "Migrated: $(sql 'SELECT count(*) FROM schema_versions') scripts"

# The SQL as the service runs it, read from the source so that this never measures a stale copy.
source_sql() { awk -v name="$2" '$0 ~ name " = \"\"\"" { inside = 1; next } inside && /^ *"""/ { exit } inside' "$1"; }
list_sql=$(source_sql src/Billing.Infrastructure/Persistence/PortalAuditRepository.cs ListSql)
delete_sql=$(source_sql src/Billing.Infrastructure/Persistence/DataRetention.cs DeleteAuditBatchSql)
[ -n "$list_sql" ] && [ -n "$delete_sql" ] || { echo "Could not find ListSql or DeleteAuditBatchSql in the source" >&2; exit 1; }

# --- 10,000,000 rows, without migration 0009's indexes (built and timed afterwards) ---
migration_0009=src/Billing.Infrastructure/Persistence/Migrations/0009_retention.sql
sql "DROP INDEX billing_portal_audit_occurred_at_idx; DROP INDEX stripe_event_finished_received_at_idx"
log "Loading $rows audit rows for $tenants tenants over $days days"
started=$(now_ms)
sql "
INSERT INTO billing_portal_audit
    (occurred_at, tenant_id, action, user_id, outcome, stripe_customer_id, portal_session_id, locale, return_url,
     client_ip, user_agent, stripe_request_id, trace_id)
SELECT now() - make_interval(days => $days) + make_interval(days => $days) * (g::float8 / $rows),
       md5('bench-' || (g % $tenants))::uuid, 'portal', 'user-' || (g % 7), 'created',
       'cus_' || substr(md5('c' || (g % $tenants)), 1, 14), 'bps_' || substr(md5(g::text), 1, 24), 'auto',
       'https://app.example.com/settings/billing', '203.0.113.7',
       'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
       'req_' || substr(md5('r' || g), 1, 14), '00-' || md5('t' || g) || '-' || substr(md5('s' || g), 1, 16) || '-01'
FROM generate_series(1, $rows) AS g"
log "Loaded in $(( $(now_ms) - started )) ms"

started=$(now_ms)
psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d billing -1 -f "$migration_0009"
index_ms=$(( $(now_ms) - started ))
log "Migration 0009 on $rows rows (one transaction, as DbUp runs it): $index_ms ms"

started=$(now_ms)
sql "VACUUM ANALYZE billing_portal_audit"
log "VACUUM ANALYZE in $(( $(now_ms) - started )) ms"
sql "SELECT 'table ' || pg_size_pretty(pg_table_size('billing_portal_audit')) || ', tenant index '
       || pg_size_pretty(pg_relation_size('billing_portal_audit_tenant_occurred_at_idx')) || ', occurred_at index '
       || pg_size_pretty(pg_relation_size('billing_portal_audit_occurred_at_idx')) || ', '
       || (SELECT count(*) FROM billing_portal_audit WHERE occurred_at < now() - interval '400 days') || ' rows older than 400 days'" >&2

# --- The trail's read for one tenant ---
tenant="md5('bench-$tenant_n')::uuid"
cursor=$(sql "SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') || ' ' || id
              FROM billing_portal_audit WHERE tenant_id = $tenant ORDER BY occurred_at DESC, id DESC OFFSET 499 LIMIT 1")
cursor_at=${cursor% *}
cursor_id=${cursor#* }
with_values() { sed -e "s/@TenantId/$tenant/g" -e "s/@BeforeOccurredAt/$1/g" -e "s/@BeforeId/$2/g" -e "s/@Limit/50/g" <<< "$list_sql"; }
prepared=$(sed -e 's/@TenantId/$1/g' -e 's/@BeforeOccurredAt/$2/g' -e 's/@BeforeId/$3/g' -e 's/@Limit/$4/g' <<< "$list_sql")
# From standard input, so that each statement's result is printed, not only the last one's.
explain() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d billing <<< "$1"; }

echo
echo "=== Trail of tenant $tenant_n (first page of 50), values as literals (a custom plan); run twice, the second warm ==="
explain "EXPLAIN (ANALYZE, BUFFERS) $(with_values 'NULL::timestamptz' 0)" > /dev/null
explain "EXPLAIN (ANALYZE, BUFFERS) $(with_values 'NULL::timestamptz' 0)"
echo "=== The same tenant's page after the 500th row (cursor $cursor_at, $cursor_id) ==="
explain "EXPLAIN (ANALYZE, BUFFERS) $(with_values "'$cursor_at'::timestamptz" "$cursor_id")"
echo "=== Both as a prepared statement with a generic plan (what a server-prepared statement may switch to) ==="
explain "SET plan_cache_mode = force_generic_plan;
PREPARE trail(uuid, timestamptz, bigint, integer) AS $prepared;
EXPLAIN (ANALYZE, BUFFERS) EXECUTE trail($tenant, NULL, 0, 50);
EXPLAIN (ANALYZE, BUFFERS) EXECUTE trail($tenant, '$cursor_at', $cursor_id, 50);"
echo "=== One retention batch (rolled back), generic plan as Npgsql's prepared statement would run it ==="
prepared_delete=$(sed -e 's/@RetentionDays/$1/g' -e 's/@BatchSize/$2/g' <<< "$delete_sql")
explain "SET plan_cache_mode = force_generic_plan;
PREPARE batch(integer, integer) AS $prepared_delete;
BEGIN;
EXPLAIN (ANALYZE, BUFFERS) EXECUTE batch(400, 1000);
ROLLBACK;"

# --- The read's latency under pgbench, without and during deletion ---
cat > "$work/trail.sql" <<EOF
\\set t random(0, $(( tenants - 1 )))
$(sed -e "s/@TenantId/md5('bench-' || :t)::uuid/g" -e 's/@BeforeOccurredAt/NULL::timestamptz/g' -e 's/@BeforeId/0/g' -e 's/@Limit/50/g' <<< "$list_sql");
EOF
read_latency() {
  rm -f "$work"/pgbench_log.*
  (cd "$work" && pg pgbench -n -M prepared -c 1 -j 1 -T "$read_seconds" -f "$work/trail.sql" --log \
    -h 127.0.0.1 -p "$pg_port" -U postgres billing > "$work/pgbench-$1.out" 2>&1)
  cat "$work"/pgbench_log.* | awk '{ print $3 / 1000 }' | sort -g | awk -v what="$1" '
    { v[NR] = $1; sum += $1 }
    END { printf "%s: %d reads, mean %.3f ms, p50 %.3f ms, p99 %.3f ms, max %.3f ms\n", what, NR, sum / NR,
          v[int(NR * 0.50) + 1], v[int(NR * 0.99) + 1], v[NR] }'
}

deletes_seen() { sql "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%DELETE FROM billing_portal_audit%' AND pid <> pg_backend_pid()"; }
echo
echo "=== First page of a random tenant's trail, pgbench -M prepared, 1 client, $read_seconds s each ==="
# Both with the API up (idle but for its event worker's polls): the first before its retention job starts, a minute
# after start, the second while the job deletes.
log "Starting the API; its retention job runs a minute after start"
start_api
read_latency "no deletion"
[ "$(deletes_seen)" -eq 0 ] || echo "(retention started before these reads ended: lower BENCH_AUDIT_READ_SECONDS)"
until [ "$(deletes_seen)" -gt 0 ]; do
  kill -0 "$api_pid" 2>/dev/null || { echo "The API exited; see $work/api.log" >&2; exit 1; }
  sleep 0.5
done
read_latency "during retention"
grep -q 'Retention deleted' "$work/api.log" && echo "(retention finished before the reads did: the reads did not overlap it throughout)"
until grep -q 'Retention deleted' "$work/api.log"; do
  grep -q 'Retention failed' "$work/api.log" && { echo "Retention failed; see $work/api.log" >&2; exit 1; }
  sleep 1
done
stop_api
echo
echo "=== The retention run ==="
run=$(grep -o 'Retention deleted [^"]*' "$work/api.log" | head -n 1)
echo "$run"
awk '{ rows = $3; ms = $(NF - 1); batches = int((rows + 999) / 1000)
       printf "%.0f rows/s; %d batches, %.1f ms each beside the 100 ms pause\n", rows * 1000 / ms, batches, (ms - batches * 100) / batches }' <<< "$run"
echo "Left: $(sql "SELECT count(*) FROM billing_portal_audit") rows; older than 400 days: $(sql "SELECT count(*) FROM billing_portal_audit WHERE occurred_at < now() - interval '400 days'") (rows that aged past it since the run began)"
echo "Migration 0009 on the loaded table: $index_ms ms"
