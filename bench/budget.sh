#!/usr/bin/env bash
# Issue 23's benchmark rows for the Stripe budget that every instance shares (docs/performance.md, rows 7, 7w, 7c).
# On this machine it starts a PostgreSQL of its own, a Python Stripe fake that answers 429 to anything over the budget
# in any one-second window (bench/stripe-budget-fake.py), and three API processes built in Release on that one
# database, then:
#   7   drives the three at $demand times the budget for $duration s (bench/budget-load.py, open loop);
#   7w  the same with $events webhook events queued in the inbox, then waits for the backlog to drain;
#   7c  runs bench/side-by-side.sh with the budget on (10000/s, the most the settings allow: a rate it never reaches)
#       and off, interleaved, for the budget check's own cost at 100 requests/s: open loop, and with hey's workers.
# and prints one table: one run of rows 7 and 7w, two rounds of 7c. About 7 minutes, publishing included; nothing is
# left running afterwards (BENCH_KEEP=1 keeps the work directory with the logs). It waits while a test or another
# benchmark runs on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."

budget=${BENCH_BUDGET_RPS:-25}              # Stripe:RateLimit:RequestsPerSecond, and the fake's limit
demand=${BENCH_BUDGET_DEMAND:-10}           # rows 7 and 7w: requests offered, in times the budget
duration=${BENCH_BUDGET_DURATION:-30}       # rows 7 and 7w: seconds of load
warmup=${BENCH_BUDGET_WARMUP:-10}           # seconds of the same load on the cold processes before row 7, then rounds of 5 s
tenants=${BENCH_BUDGET_TENANTS:-1000}       # tenants with a customer; requests and events spread over them
events=${BENCH_BUDGET_EVENTS:-2000}         # row 7w: events queued just before the load
drain_limit=${BENCH_BUDGET_DRAIN_LIMIT:-240} # row 7w: seconds to wait at most for the backlog after the load
rounds=${BENCH_BUDGET_ROUNDS:-2}            # row 7c: rounds of on, off
only=${BENCH_BUDGET_ONLY:-}                 # "load": rows 7 and 7w only; "cost": row 7c only
port_base=${BENCH_BUDGET_PORT_BASE:-27430}  # PostgreSQL +2, the fake +3, the APIs +4..+6 (side-by-side.sh: 2543x)
max_wait_ms=2000                            # Stripe:RateLimit:MaxWaitMilliseconds, its default
background_share=0.5                        # Stripe:RateLimit:BackgroundShare, its default
instances=3

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

missing=()
for tool in python3 psql openssl curl hey dotnet; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15)
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
[ -f /usr/lib/nginx/modules/ngx_http_echo_module.so ] || missing+=(libnginx-mod-http-echo)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Missing: ${missing[*]} (bench/run.sh installs all but python3 and dotnet from Debian's packages)" >&2
  exit 1
fi

# Numbers from a machine that a test run or another benchmark shares are worth nothing: wait for them to end.
others() { pgrep -f "dotnet test|bench/run.sh|side-by-side" >/dev/null; }
wait_turn() {
  local waited=0
  others || return 0
  log "Waiting for another test or benchmark run to end"
  while others; do
    sleep 5; waited=$(( waited + 5 ))
    [ "$waited" -lt 1800 ] || { echo "Still not alone on the machine after 30 minutes" >&2; exit 1; }
  done
}


pg_port=$(( port_base + 2 )); fake_port=$(( port_base + 3 ))
api_ports=(); apis=()
for i in $(seq 0 $(( instances - 1 ))); do
  api_ports+=($(( port_base + 4 + i ))); apis+=("http://127.0.0.1:$(( port_base + 4 + i ))")
done
for port in "$pg_port" "$fake_port" "${api_ports[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is in use; set BENCH_BUDGET_PORT_BASE" >&2; exit 1
  fi
done

work=$(mktemp -d /tmp/billing-budget.XXXXXX)
chmod 755 "$work"; chown postgres "$work"
pgbin=/usr/lib/postgresql/15/bin
pg() { runuser -u postgres -- "$pgbin/$1" "${@:2}"; }
api_pids=(); fake_pid=""; mint_pid=""

stop_apis() {
  local pid
  for pid in "${api_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${api_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  api_pids=()
}
stop_stack() {
  stop_apis
  [ -n "$fake_pid" ] && { kill "$fake_pid" 2>/dev/null; wait "$fake_pid" 2>/dev/null || true; fake_pid=""; }
  [ -f "$work/pg/postmaster.pid" ] && pg pg_ctl stop -D "$work/pg" -m fast >/dev/null 2>&1
  return 0
}
cleanup() {
  [ -n "$mint_pid" ] && kill "$mint_pid" 2>/dev/null
  stop_stack
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "Kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# --- Tokens: HS256, minted with openssl as bench/side-by-side.sh does, one per tenant ---
openssl rand 32 > "$work/key"
key_hex=$(od -An -tx1 "$work/key" | tr -d ' \n')
issuer=https://issuer.bench.local; audience=billing-api
source bench/common.sh

# --- The API, built in Release ---
wait_turn
if [ "$only" != cost ]; then
  ( for n in $(seq 1 "$tenants"); do mint "$n"; done > "$work/tokens" ) &
  mint_pid=$!
fi
log "Publishing the API in Release"
dotnet publish src/Billing.Api/Billing.Api.csproj -c Release -o "$work/api" --nologo -v q >/dev/null

if [ "$only" != cost ]; then
wait "$mint_pid"; mint_pid=""

# --- PostgreSQL (default settings, as bench/run.sh) and the Stripe fake ---
pg initdb -D "$work/pg" -U postgres -A trust -E UTF8 >/dev/null
pg pg_ctl start -D "$work/pg" -w -l "$work/pg.log" -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1" >/dev/null ||
  { tail -n 20 "$work/pg.log" >&2; exit 1; }
sql() { PGOPTIONS=--client-min-messages=warning psql -X -q -At -h 127.0.0.1 -p "$pg_port" -U postgres -d "${2:-billing}" -c "$1"; }
sql "CREATE DATABASE billing" postgres

# Niced up: the fake stands for a Stripe that does not share these two cores, so that the APIs' busy moments must not
# hold back when it sees a call arrive (the APIs' own lateness is what is measured).
nice -n -10 python3 bench/stripe-budget-fake.py "$fake_port" "$budget" "$work/fake.log" 2>> "$work/fake-stderr.log" &
fake_pid=$!
wait_ready "http://127.0.0.1:$fake_port/ready" "$fake_pid" "$work/fake-stderr.log"

# --- Three API processes on the one database: logs at Warning, the per-tenant limit out of the way ---
for i in $(seq 0 $(( instances - 1 ))); do
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="${apis[$i]}" \
  ConnectionStrings__Billing="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=billing" \
  Stripe__SecretKey=sk_test_bench Stripe__ApiBase="http://127.0.0.1:$fake_port" App__PublicUrl=https://app.example.com \
  Stripe__WebhookSecrets__0=whsec_bench Stripe__RateLimit__RequestsPerSecond="$budget" \
  Stripe__RateLimit__MaxWaitMilliseconds="$max_wait_ms" Stripe__RateLimit__BackgroundShare="$background_share" \
  Portal__RateLimit__PermitLimit=1000000000 Logging__LogLevel__Default=Warning \
  Authentication__Schemes__Bearer__ValidIssuer=$issuer Authentication__Schemes__Bearer__ValidAudiences__0=$audience \
  Authentication__Schemes__Bearer__SigningKeys__0__Issuer=$issuer \
  Authentication__Schemes__Bearer__SigningKeys__0__Value="$(base64 -w0 "$work/key")" \
    bash -c "cd '$work/api' && exec dotnet Billing.Api.dll" >> "$work/api-$i.log" 2>&1 &
  api_pids+=($!)
done
for i in $(seq 0 $(( instances - 1 ))); do
  wait_ready "${apis[$i]}/health/ready" "${api_pids[$i]}" "$work/api-$i.log"
done
sql "INSERT INTO tenant_config (tenant_id, stripe_customer_id)
     SELECT md5('bench-' || n)::uuid, 'cus_bench_' || n FROM generate_series(1, $tenants) n"
sql "VACUUM (ANALYZE) tenant_config"
log "PostgreSQL on $pg_port, the fake ($budget/s) on $fake_port, $instances APIs on ${api_ports[*]}, $tenants tenants"

rate=$(( budget * demand ))
# load NAME SECONDS: the open-loop load over every API; prints "START_EPOCH SENT P99_LATE_MS MAX_LATE_MS ERRORS".
load() { python3 bench/budget-load.py "$rate" "$2" "$work/tokens" "$work/$1.csv" "${apis[@]}"; }

# fake FROM TO: the fake's log between two Unix times, as "portal_200 sync_200 429s other peak_in_any_second".
fake() {
  awk -v from="$1" -v to="$2" '$1 >= from && $1 < to {
      if ($3 == 200) { if ($2 ~ /portal/) p++; else s++ } else if ($3 == 429) r++; else o++
      if ($4 > peak) peak = $4 }
    END { printf "%d %d %d %d %d\n", p, s, r, o, peak }' "$work/fake.log"
}
# per_second FROM SECONDS [PATH]: the fake's 200s in each whole second, as "min median max".
per_second() {
  awk -v from="$1" -v n="$2" -v path="${3:-.}" '$1 >= from && $1 < from + n && $3 == 200 && $2 ~ path { c[int($1 - from)]++ }
    END { for (i = 0; i < n; i++) print c[i] + 0 }' "$work/fake.log" |
    sort -n | awk '{ v[NR] = $1 } END { printf "%d %d %d\n", v[1], v[int((NR + 1) / 2)], v[NR] }'
}
# answers NAME: the load's answers, as "n200 n503 n500 other socket_errors 503_with_retry_after 503_busy_body
# retry_after_min retry_after_max p50_200 p99_200 p50_all p99_all" (latencies in ms).
answers() {
  local csv="$work/$1.csv"
  read -r counts < <(awk -F, 'NR > 1 {
      if ($3 == 200) ok++; else if ($3 == 503) { busy++; if ($5 != "") { ra++; if (min == "" || $5 + 0 < min) min = $5 + 0; if ($5 + 0 > max) max = $5 + 0 }; if ($6 == 1) body++ }
      else if ($3 == 500) bad++; else if ($3 == 0) err++; else other++ }
    END { printf "%d %d %d %d %d %d %d %s %s\n", ok, busy, bad, other, err, ra, body, (min == "" ? "-" : min), (max == "" ? "-" : max) }' "$csv")
  pct() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "- -"; exit } printf "%.1f %.1f\n", v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1] }'; }
  echo "$counts $(awk -F, 'NR > 1 && $3 == 200 { print $4 }' "$csv" | pct) $(awk -F, 'NR > 1 && $3 != 0 { print $4 }' "$csv" | pct)"
}
audit() { sql "SELECT count(*) FILTER (WHERE outcome = 'stripe_busy'), count(*) FILTER (WHERE outcome = 'created'), count(*) FROM billing_portal_audit"; }
wall() { date +%s.%N; }

# The budget's rate now, as StripeBudget computes it: after a 429, the factor it was cut to, plus a tenth for every
# 5 s since (its RecoveryStep and RecoverySeconds).
factor() {
  sql "SELECT CASE WHEN throttled_at IS NULL THEN 1.0 ELSE least(1.0, throttled_factor + 0.1 * floor(extract(epoch FROM clock_timestamp() - throttled_at) / 5)) END FROM stripe_budget"
}

# JIT time so far, summed over the three processes (their /metrics, as bench/run.sh reads it).
jit_seconds() {
  local api
  for api in "${apis[@]}"; do curl -fs "$api/metrics"; done |
    awk '/^dotnet_jit_compilation_time_seconds_total/ { s += $2 } END { printf "%.3f\n", s }'
}

# --- Row 7: demand at $demand times the budget ---
# The warm-up is the same load on the cold processes, reported as such: a cold fleet's first calls reach Stripe late
# and bunched, and if Stripe (the fake) answers 429 the budget runs slower for a while. The warm-up then goes on in
# rounds of 5 s until the budget has its full rate back (it recovers by itself within 50 s) and a round added less
# than 0.3 s of JIT time over the three processes (at most 12 rounds): tiered compilation goes on for a while after
# load starts, and row 7's first seconds measured it when the warm-up was 8 s alone.
wait_turn
quiet
log "Warming up: ${warmup} s at $rate requests/s on the cold processes"
read -r w_start _ _ w_late _ < <(load warmup "$warmup")
w_factor=$(sql "SELECT CASE WHEN throttled_at IS NULL THEN 1 ELSE throttled_factor END FROM stripe_budget")
w_rounds=0
while :; do
  jit_before=$(jit_seconds)
  load settle 5 >/dev/null
  w_rounds=$(( w_rounds + 1 ))
  if awk -v f="$(factor)" -v a="$jit_before" -v b="$(jit_seconds)" 'BEGIN { exit !(f >= 1 && b - a < 0.3) }'; then break; fi
  [ "$w_rounds" -lt 12 ] || { log "After 12 rounds the budget's rate was $(factor) of itself, the JIT still compiling"; break; }
done
sleep $(( max_wait_ms / 1000 + 1 ))             # the turns the warm-up reserved run out
w_seconds=$(( warmup + 5 * w_rounds ))
read -r _ _ w_429 _ _ < <(fake "$w_start" "$(wall)")
w_429_last=$(awk -v from="$w_start" '$1 >= from && $3 == 429 { last = $1 - from } END { printf "%.1f", last }' "$work/fake.log")
log "Warm-up: $w_seconds s; $w_429 429s from the fake (the last $w_429_last s in; load at most $w_late ms late), rate cut to $w_factor, $(jit_seconds) s of JIT in all"
quiet
audit_before=$(audit)
log "Row 7: $rate requests/s for $duration s over $instances processes"
read -r a_start a_sent a_late99 a_late a_errors < <(load row7 "$duration")
a_end=$(awk -v s="$a_start" -v d="$duration" 'BEGIN { printf "%.6f", s + d }')
sleep $(( max_wait_ms / 1000 + 1 ))             # admitted calls still reach the fake for up to MaxWait after the load
a_tail=$(wall)
read -r a_busy a_created a_rows < <(paste -d'|' <(echo "$audit_before") <(audit) | awk -F'|' '{ print $4 - $1, $5 - $2, $6 - $3 }')
read -r a_portal a_sync a_429 a_other a_peak < <(fake "$a_start" "$a_end")
read -r t_portal t_sync t_429 t_other t_peak < <(fake "$a_start" "$a_tail")
read -r a_smin a_smed a_smax < <(per_second "$a_start" "$duration")
read -r a_ok a_503 a_500 a_odd a_sock a_ra a_body a_ramin a_ramax a_p50 a_p99 a_p50all a_p99all < <(answers row7)
log "row 7: fake $a_portal portal 200s, $t_429 429s, $t_other other, peak $t_peak in one second; answers 200 $a_ok, 503 $a_503 (Retry-After $a_ra, $a_ramin-$a_ramax s), 500 $a_500; audit stripe_busy $a_busy, created $a_created"

# --- Row 7w: the same with $events webhook events queued in the inbox ---
# Inserted straight into stripe_event as pending, due now, as the webhook endpoint stores them: each names one of
# the seeded customers, so the worker syncs it (GET /v1/subscriptions?customer=...) as background work. The workers
# poll the inbox every second; the load starts right after the insert.
wait_turn
quiet
audit_before=$(audit)
sql "INSERT INTO stripe_event (id, type, created_at, payload)
     SELECT 'evt_budget_' || i, 'customer.subscription.updated', now(),
            json_build_object('id', 'evt_budget_' || i, 'object', 'event', 'type', 'customer.subscription.updated',
              'created', extract(epoch FROM now())::bigint, 'api_version', '2026-10-28.clover',
              'data', json_build_object('object', json_build_object('id', 'sub_budget_' || i, 'object', 'subscription',
                'customer', 'cus_bench_' || ((i - 1) % $tenants + 1), 'status', 'active')))::text
     FROM generate_series(1, $events) i"
log "Row 7w: $events events queued; $rate requests/s for $duration s"
read -r b_start b_sent b_late99 b_late b_errors < <(load row7w "$duration")
b_end=$(awk -v s="$b_start" -v d="$duration" 'BEGIN { printf "%.6f", s + d }')
b_left=$(sql "SELECT count(*) FROM stripe_event WHERE state = 'pending'")
log "row 7w: load over, $b_left events pending; waiting for the backlog (at most $drain_limit s)"
for _ in $(seq $(( drain_limit * 2 ))); do
  [ "$(sql "SELECT count(*) FROM stripe_event WHERE state = 'pending'")" = 0 ] && break
  sleep 0.5
done
sleep 1
b_tail=$(wall)
b_states=$(sql "SELECT string_agg(state || ' ' || n, ', ' ORDER BY state) FROM (SELECT state, count(*) AS n FROM stripe_event GROUP BY state) AS s")
read -r b_busy b_created b_rows < <(paste -d'|' <(echo "$audit_before") <(audit) | awk -F'|' '{ print $4 - $1, $5 - $2, $6 - $3 }')
read -r b_portal b_sync b_429 b_other b_peak < <(fake "$b_start" "$b_end")
read -r bt_portal bt_sync bt_429 bt_other bt_peak < <(fake "$b_start" "$b_tail")
# The drain: from the end of the load to the last sync the fake answered; its steady rate leaves out the first
# MaxWait after the load, while the users' admitted calls still hold their turns.
b_last=$(awk -v from="$b_start" '$1 >= from && $2 ~ /subscriptions/ && $3 == 200 { last = $1 } END { printf "%.6f", last }' "$work/fake.log")
read -r d_sync < <(awk -v from="$b_end" -v to="$b_last" '$1 >= from && $1 <= to && $2 ~ /subscriptions/ && $3 == 200 { n++ } END { print n + 0 }' "$work/fake.log")
d_seconds=$(awk -v a="$b_end" -v b="$b_last" 'BEGIN { printf "%.1f", b - a }')
d_steady_from=$(awk -v a="$b_end" -v w="$max_wait_ms" 'BEGIN { printf "%.6f", a + w / 1000 }')
d_steady=$(awk -v from="$d_steady_from" -v to="$b_last" '$1 >= from && $1 <= to && $2 ~ /subscriptions/ && $3 == 200 { n++ }
  END { if (to - from > 0) printf "%.1f", n / (to - from); else print "-" }' "$work/fake.log")
read -r b_ok b_503 b_500 b_odd b_sock b_ra b_body b_ramin b_ramax b_p50 b_p99 b_p50all b_p99all < <(answers row7w)
log "row 7w: during the load fake 200s portal $b_portal, sync $b_sync; 429s $bt_429; drain $d_sync syncs in $d_seconds s; events: $b_states"
stop_stack
fi

# --- Row 7c: the budget check's own cost, side by side ---
if [ "$only" != load ]; then
variants=()
for _ in $(seq "$rounds"); do
  variants+=("on|$work/api|Stripe__RateLimit__RequestsPerSecond=10000|" "off|$work/api|Stripe__RateLimit__RequestsPerSecond=0|")
done
wait_turn
quiet
log "Row 7c: bench/side-by-side.sh, budget on (10000/s) and off, $rounds rounds"
AB_OPEN_LOOP=1 AB_WORK="$work/side-by-side" bench/side-by-side.sh "${variants[@]}" | tee "$work/side-by-side.txt" >&2
# "on: p50 9.10 ms, p99 20.00 ms at 100 requests/s; 2000 requests/s at 32 connections"
c_field() { awk -v label="$1" -v f="$2" -F'[ ,;:]+' '$1 == label { print $f }' "$work/side-by-side.txt"; }
c_on_p50=$(c_field on 3 | paste -sd' '); c_off_p50=$(c_field off 3 | paste -sd' ')
c_on_p99=$(c_field on 6 | paste -sd' '); c_off_p99=$(c_field off 6 | paste -sd' ')
c_on_rps=$(c_field on 11 | paste -sd' '); c_off_rps=$(c_field off 11 | paste -sd' ')
c_added=$(paste -d' ' <(c_field on 3) <(c_field off 3) | awk '{ printf "%s%+.2f", (NR > 1 ? ", " : ""), $1 - $2 }')
median_added() { # field: the median over rounds of on - off
  paste -d' ' <(c_field on "$1") <(c_field off "$1") | awk '{ print $1 - $2 }' | sort -g |
    awk '{ v[NR] = $1 } END { printf "%+.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
c_added_median=$(median_added 3)
c_open_on=$(c_field on 19 | paste -sd' '); c_open_off=$(c_field off 19 | paste -sd' ')
c_open_on_p99=$(c_field on 22 | paste -sd' '); c_open_off_p99=$(c_field off 22 | paste -sd' ')
c_open_added=$(paste -d' ' <(c_field on 19) <(c_field off 19) | awk '{ printf "%s%+.2f", (NR > 1 ? ", " : ""), $1 - $2 }')
c_open_added_median=$(median_added 19)
fi

# --- The table ---
yes_no() { if awk "BEGIN { exit !($1) }"; then echo yes; else echo no; fi; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
per_s() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
limit=$(( max_wait_ms + 100 ))
cat <<EOF

Stripe budget benchmark (issue 23), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo '+changes')
Budget $budget Stripe calls/s (turns spaced for $(awk -v b="$budget" 'BEGIN { printf "%.2f", b * 0.95 }')/s: 5% headroom by design), MaxWait $max_wait_ms ms, BackgroundShare $background_share.
EOF
if [ "$only" != cost ]; then
cat <<EOF
Rows 7 and 7w: $instances API processes on one PostgreSQL, $rate portal requests/s offered ($demand x the budget) for $duration s, open loop, over $tenants tenants.

| row | figure | measured | target | met |
|---|---|---:|---|---|
| 7 | warm-up, not measured: the same load on the cold processes, $w_seconds s | $w_429 429s from the fake, the last $w_429_last s in; the budget's rate cut to $w_factor of itself, then recovered | reported | |
| 7 | demand sent | $(per_s "$a_sent" "$duration") requests/s ($a_sent), late p99 $a_late99 ms, max $a_late ms | $demand x budget = $rate/s, on time | $(yes_no "$a_sent >= $rate * $duration && $a_late99 <= 50") |
| 7 | 429s from the fake (load and the ${max_wait_ms} ms after) | $t_429 | 0 | $(yes_no "$t_429 == 0") |
| 7 | 500s; other answers; socket errors | $a_500; $a_odd; $a_sock | 0 | $(yes_no "$a_500 + $a_odd + $a_sock == 0") |
| 7 | goodput: the fake's 200s per second / budget | $(ratio "$a_portal" "$(( duration * budget ))") ($(per_s "$a_portal" "$duration")/s; seconds min/median/max $a_smin/$a_smed/$a_smax; at most $t_peak in any 1 s) | >= 0.95 | $(yes_no "$a_portal >= 0.95 * $duration * $budget") |
| 7 | 200s: p50 / p99 ms | $a_p50 / $a_p99 ($a_ok answers) | p99 <= $limit | $(yes_no "$a_p99 <= $limit") |
| 7 | all answers: p50 / p99 ms | $a_p50all / $a_p99all | p99 <= $limit | $(yes_no "$a_p99all <= $limit") |
| 7 | 503s with Retry-After; with "Billing is busy"; audited stripe_busy | $a_ra / $a_503; $a_body; $a_busy (Retry-After $a_ramin-$a_ramax s) | every answer beyond the budget | $(yes_no "$a_ra == $a_503 && $a_body == $a_503 && $a_busy == $a_503 && $a_ok + $a_503 == $a_sent") |
| 7w | demand sent, with $events events queued | $(per_s "$b_sent" "$duration") requests/s ($b_sent), late p99 $b_late99 ms, max $b_late ms | $rate/s, on time | $(yes_no "$b_sent >= $rate * $duration && $b_late99 <= 50") |
| 7w | 429s from the fake (load and drain); 500s; other answers; socket errors | $bt_429; $b_500; $b_odd; $b_sock | 0 | $(yes_no "$bt_429 + $b_500 + $b_odd + $b_sock == 0") |
| 7w | users' share of the fake's 200s during the load | $(ratio "$b_portal" "$(( b_portal + b_sync ))") (portal $(per_s "$b_portal" "$duration")/s, event syncs $(per_s "$b_sync" "$duration")/s) | >= $(awk -v s="$background_share" 'BEGIN { print 1 - s }') | $(yes_no "$b_portal >= (1 - $background_share) * ($b_portal + $b_sync)") |
| 7w | 200s: p50 / p99 ms; all answers: p50 / p99 ms | $b_p50 / $b_p99; $b_p50all / $b_p99all | p99 <= $limit | $(yes_no "$b_p99 <= $limit && $b_p99all <= $limit") |
| 7w | 503s with Retry-After; audited stripe_busy | $b_ra / $b_503; $b_busy | every answer beyond the budget | $(yes_no "$b_ra == $b_503 && $b_busy == $b_503 && $b_ok + $b_503 == $b_sent") |
| 7w | backlog after the load: drained in; rate | $b_left events in $d_seconds s: $(per_s "$d_sync" "$d_seconds")/s; $d_steady/s after the first ${max_wait_ms} ms | about the budget x 0.95 = $(awk -v b="$budget" 'BEGIN { printf "%.2f", b * 0.95 }')/s | $(yes_no "$d_steady >= $budget * 0.95 * 0.95") |
| 7w | events at the end | $b_states | all processed | $(yes_no "\"$b_states\" == \"processed $events\"") |
EOF
fi
if [ "$only" != load ]; then
[ "$only" = cost ] && printf '\n| row | figure | measured | target | met |\n|---|---|---:|---|---|\n'
cat <<EOF
| 7c | budget on (RequestsPerSecond=10000), by round: open loop p50 / p99 ms; hey p50 / p99 ms | $c_open_on / $c_open_on_p99; $c_on_p50 / $c_on_p99 ($c_on_rps requests/s at 32 connections) | | |
| 7c | budget off (RequestsPerSecond=0), by round: open loop p50 / p99 ms; hey p50 / p99 ms | $c_open_off / $c_open_off_p99; $c_off_p50 / $c_off_p99 ($c_off_rps requests/s at 32 connections) | | |
| 7c | p50 added per Stripe call, 100 requests/s open loop (a request every 10 ms), on - off, median (by round) | $c_open_added_median ms ($c_open_added) | <= 1 ms | $(yes_no "$c_open_added_median <= 1") |
| 7c | the same with hey's 10 workers, whose requests arrive together, ten at a time | $c_added_median ms ($c_added) | reported | |
EOF
fi
