#!/usr/bin/env bash
# The performance benchmark (README, "Performance"). On this machine it starts a PostgreSQL of its own, nginx as a
# loopback Stripe that answers at once (/v1/...) or after BENCH_STRIPE_DELAY_MS (/slow/v1/...), and the API built
# in Release, drives it with wrk and hey, and prints one table. About 10 minutes with the defaults; nothing is left
# running afterwards (BENCH_KEEP=1 keeps the work directory with the logs).
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${BENCH_DURATION:-15}             # seconds per measured run
runs=${BENCH_RUNS:-3}                      # runs per row; the table shows medians
connections=${BENCH_CONNECTIONS:-32}       # rows 1, 2 and 4
slow_connections=${BENCH_SLOW_CONNECTIONS:-1000}
delay_ms=${BENCH_STRIPE_DELAY_MS:-300}
many_tenants=${BENCH_TENANTS:-1000000}
memory_requests=${BENCH_MEMORY_REQUESTS:-200000}
warmup=${BENCH_WARMUP:-15}                 # seconds of portal load before the first measured run
settle=${BENCH_SETTLE:-10}                 # row 3s: seconds of each run left out while hey's connections open
only=${BENCH_ONLY:-}                       # "slow": only row 3, e.g. while tuning it; "checkout": only rows 2r and 6
rate=${BENCH_RATE:-100}                    # rows 2r and 6: requests/s, Stripe's default limit for a live account
events=${BENCH_EVENTS:-50000}              # row 5: signed events written for each run (more than one run sends)
webhook_duration=${BENCH_WEBHOOK_DURATION:-5} # row 5: seconds per run; every event sent is processed before the next run

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v hey >/dev/null || missing+=(hey)
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
[ -f /usr/lib/nginx/modules/ngx_http_echo_module.so ] || missing+=(libnginx-mod-http-echo)
command -v psql >/dev/null || missing+=(postgresql-client)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v openssl >/dev/null || missing+=(openssl)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing what the benchmark needs: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  # Debian starts the packaged nginx on port 80; the benchmark runs its own.
  as_root service nginx stop >/dev/null 2>&1 || true
fi

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d /tmp/billing-bench.XXXXXX)
chmod 755 "$work"
api_pid=""
many_pid=""
pgbin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$pgbin/$1" "${@:2}"; else "$pgbin/$1" "${@:2}"; fi; }

cleanup() {
  [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null
  [ -n "$many_pid" ] && kill "$many_pid" 2>/dev/null && wait "$many_pid" 2>/dev/null
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  [ -f "$work/pg/postmaster.pid" ] && pg pg_ctl stop -D "$work/pg" -m fast >/dev/null 2>&1
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "Kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# A port below the kernel's ephemeral range: one inside it may still belong to a closing connection of an earlier
# load run (1,000 at a time), and binding it then fails with "address already in use".
free_port() {
  local port ephemeral
  ephemeral=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  while :; do
    port=$(shuf -i "10000-$(( ephemeral > 11000 ? ephemeral - 1 : 60000 ))" -n 1)
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# --- PostgreSQL: default settings (fsync and synchronous_commit on: the audit row is durable) ---
pg_port=$(free_port)
[ "$(id -u)" -eq 0 ] && chown postgres "$work"
pg initdb -D "$work/pg" -U postgres -A trust -E UTF8 >/dev/null
pg pg_ctl start -D "$work/pg" -w -l "$work/pg.log" -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c max_connections=300" >/dev/null ||
  { tail -n 20 "$work/pg.log" >&2; exit 1; }
sql() { psql -X -q -At -h 127.0.0.1 -p "$pg_port" -U postgres -d "${2:-billing}" -c "$1"; }
sql "CREATE DATABASE billing" postgres
log "PostgreSQL $(sql 'SHOW server_version'), port $pg_port, fsync=$(sql 'SHOW fsync'), synchronous_commit=$(sql 'SHOW synchronous_commit')"

# --- Stripe stand-in ---
stripe_port=$(free_port)
# The answers, as sed replacements: no '&', '|' or '\' in them.
session='{"id":"bps_bench","object":"billing_portal.session","customer":"cus_bench","livemode":false,"created":1700000000,"return_url":"https://app.example.com/settings/billing","url":"https://billing.stripe.com/p/session/test_bench"}'
checkout_session='{"id":"cs_test_bench","object":"checkout.session","mode":"subscription","customer":"cus_bench","status":"open","livemode":false,"created":1700000000,"expires_at":1700086400,"url":"https://checkout.stripe.com/c/pay/cs_test_bench"}'
customer='{"id":"cus_bench_new","object":"customer","email":null,"name":null,"metadata":{},"livemode":false,"created":1700000000}'
mkdir -p "$work/nginx-body"
sed -e "s|__WORK__|$work|g" -e "s|__PORT__|$stripe_port|" -e "s|__DELAY__|$(awk "BEGIN{print $delay_ms/1000}")|" \
    -e "s|__SESSION__|$session|" -e "s|__CHECKOUT_SESSION__|$checkout_session|" -e "s|__CUSTOMER__|$customer|" \
    bench/stripe-standin.conf > "$work/nginx.conf"
/usr/sbin/nginx -p "$work" -c "$work/nginx.conf" -e "$work/nginx-error.log"
log "Stripe stand-in on port $stripe_port (slow path: $delay_ms ms)"

# --- The API, built in Release ---
log "Publishing the API in Release"
dotnet publish src/Billing.Api/Billing.Api.csproj -c Release -o "$work/api" --nologo -v q >/dev/null
api_port=$(free_port)
api="http://127.0.0.1:$api_port"
openssl rand 32 > "$work/key"
key_hex=$(od -An -tx1 "$work/key" | tr -d ' \n')
issuer=https://issuer.bench.local
webhook_secret=whsec_bench_only
audience=billing-api
price_id=price_bench                       # row 6: the one plan on offer

# start_api STRIPE_BASE_URL [DATABASE]: starts the API on $api (default database: billing), sets api_pid and prints
# how many ms it took to answer /health/ready. It runs from its own directory, as in a container, so that it reads
# its appsettings.json (JSON logs at Information). The stand-ins enforce no rate limit: Stripe's shared budget is on,
# as deployed, and reserves every call's turn, but at 10,000 calls/s it never makes one wait (bench/budget.sh
# measures its limits, and its own cost as row 7c).
start_api() {
  local started
  started=$(date +%s%N)
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$api" \
  ConnectionStrings__Billing="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=${2:-billing}" \
  Stripe__SecretKey=sk_test_bench Stripe__ApiBase="$1" App__PublicUrl=https://app.example.com \
  Stripe__WebhookSecrets__0="$webhook_secret" Billing__Plans__0__PriceId="$price_id" Billing__Plans__0__Name=Bench \
  Cors__AllowedOrigins__0=https://app.example.com Portal__RateLimit__PermitLimit=1000000000 \
  Stripe__RateLimit__RequestsPerSecond=10000 Authentication__Schemes__Bearer__ValidIssuer=$issuer Authentication__Schemes__Bearer__ValidAudiences__0=$audience \
  Authentication__Schemes__Bearer__SigningKeys__0__Issuer=$issuer \
  Authentication__Schemes__Bearer__SigningKeys__0__Value="$(base64 -w0 "$work/key")" \
    bash -c "cd '$work/api' && exec dotnet Billing.Api.dll" >> "$work/api.log" 2>&1 &
  api_pid=$!
  wait_ready "$api/health/ready" "$api_pid" "$work/api.log" 0.01
  echo $(( ($(date +%s%N) - started) / 1000000 ))
}

stop_api() { kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""; }

rss_mb() { awk -v field="$1:" '$1 == field { printf "%.0f", $2 / 1024 }' "/proc/$api_pid/status"; }

source bench/common.sh


# wrk's summary as "requests/s p50_ms p99_ms errors"; errors are non-2xx answers plus socket errors.
wrk_run() {
  local out
  out=$(wrk --latency --timeout 10s "$@")
  echo "$out" >> "$work/wrk.log"
  echo "$out" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    /Requests\/sec/ { rps = $2 }
    /Non-2xx/ { errors += $NF }
    /Socket errors/ { gsub(",", ""); errors += $4 + $6 + $8 + $10 }
    END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, errors }'
}

# Tiered compilation goes on in the background for a while after load starts: after a 15 s warm-up, the next 15 s
# still spent 1.7-3.4 s of the 2 cores in the JIT. So a warm-up ends only once a round of its load (given as the
# arguments) has added less than 0.1 s of JIT time, checked on the API's own /metrics; at most 12 rounds.
jit_seconds() { curl -fs "$api/metrics" | awk '/^dotnet_jit_compilation_time_seconds_total/ { print $2 }'; }
settle() {
  local before round
  for round in $(seq 12); do
    before=$(jit_seconds)
    "$@"
    if awk -v a="$before" -v b="$(jit_seconds)" 'BEGIN { exit !(b - a < 0.1) }'; then
      log "JIT settled after $round round(s) of warm-up, $(jit_seconds) s compiling in total"
      return
    fi
  done
  log "The JIT was still compiling after 12 rounds of warm-up"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column_median() { awk -v c="$1" '{ print $c }' "$2" | median; }
m() { column_median "$1" "$work/$2"; }

# The table's head, and rows 2r and 6 (all that BENCH_ONLY=checkout prints).
table_head() {
  cat <<EOF

Billing API benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')
Medians of $runs runs of ${duration} s; wrk -t2, $connections connections unless stated; everything on this machine.

| # | scenario | requests/s | p50 ms | p99 ms | errors | notes |
|---|---|---:|---:|---:|---:|---|
EOF
}
paced_rows() {
  cat <<EOF
| 2r | POST portal at $rate requests/s (hey, 10 workers), instant Stripe | $(m 1 paced) | $(m 2 paced) | $(m 3 paced) | $(m 4 paced) | the latency this service adds on top of Stripe |
| 6 | POST checkout at $rate requests/s (hey, 10 workers), instant Stripe, tenant with a customer | $(m 1 checkout) | $(m 2 checkout) | $(m 3 checkout) | $(m 4 checkout) | the latency checkout adds on top of Stripe; p50 $(median < "$work/checkout-added" | awk '{ printf "%+.2f", $1 }') ms vs (2r), same runs |
EOF
}

portal() { BENCH_TOKENS="$1" wrk_run -s bench/portal.lua "${@:2}" "$api"; }
# Row 5: signed with fresh timestamps just before each run, well inside the tolerance.
webhooks() {
  python3 bench/sign-events.py "$webhook_secret" "$events" "$work/events"
  BENCH_EVENTS="$work/events" wrk_run -s bench/webhooks.lua "$@" "$api"
}
# on_api URL COMMAND...: runs COMMAND against another API process (bash's locals are seen by the functions called).
on_api() { local api="$1"; "${@:2}"; }

# Row 3s. wrk opens all of its connections at once at the start of every run, so a run's first second is a storm of
# 1,000 connects and requests that lands on the 2 cores together, and the waves it sets off take a few seconds to
# even out; at 1,000 connections that is over 1% of a 15 s run, so row 3's p99 is mostly the storm's. hey keeps its
# connections for the whole run, as a proxy's pool would, and writes every request with its start offset, so the
# figures here cover only the requests that started after the first $settle s. One tenant: hey sends one token.
# Prints "requests/s p50_ms p99_ms non-200 first_second_p99_ms"; the first second's latencies include connecting.
# hey lists requests that failed on the socket only in its summary, which it does not print with -o csv: row 3, the
# same load through wrk, counts those.
steady_run() {
  quiet
  hey -z "$(( settle + duration ))s" -c "$slow_connections" -m POST -T application/json -d '{}' \
    -H "Authorization: Bearer $(head -n 1 "$work/tokens-many")" -o csv "$api/api/subscriptions/portal" > "$work/hey.csv"
  local window first
  window=$(awk -F, -v from="$settle" -v to="$(( settle + duration ))" 'NR > 1 && $8 >= from && $8 < to { print $1 * 1000, $7 }' "$work/hey.csv" | sort -g)
  first=$(awk -F, 'NR > 1 && $8 < 1 { print $1 * 1000 }' "$work/hey.csv" | sort -g | awk '{ v[NR] = $1 } END { print v[int(NR * 0.99) + 1] }')
  echo "$window" | awk -v duration="$duration" -v first="$first" '
    { v[NR] = $1; if ($2 != 200) bad++ }
    END { printf "%.0f %.2f %.2f %d %.2f\n", NR / duration, v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1], bad, first }'
}

# --- Rows 1 and 2: the framework ceiling and the portal against the instant stand-in, one tenant ---
log "Starting the API (first start applies the migrations)"
start_api "http://127.0.0.1:$stripe_port" >/dev/null
sql "INSERT INTO tenant_config (tenant_id, stripe_customer_id) VALUES (md5('bench-1')::uuid, 'cus_bench_1')"
mint 1 > "$work/tokens-1"
if [ "$only" != slow ]; then
log "Warming up"
wrk_run -t2 -c"$connections" -d5s "$api/health/live" >/dev/null
portal "$work/tokens-1" -t2 -c"$connections" -d"${warmup}s" >/dev/null
warm_rows_1_2() {
  wrk_run -t2 -c"$connections" -d5s "$api/health/live" >/dev/null
  portal "$work/tokens-1" -t2 -c"$connections" -d5s >/dev/null
}
settle warm_rows_1_2
# BENCH_ONLY=checkout keeps the warm-up above, for row 2r, and skips these runs.
if [ "$only" != checkout ]; then
for run in $(seq "$runs"); do
  quiet
  live=$(wrk_run -t2 -c"$connections" -d"${duration}s" "$api/health/live")
  quiet
  one=$(portal "$work/tokens-1" -t2 -c"$connections" -d"${duration}s")
  echo "$live" >> "$work/live"
  echo "$one" >> "$work/portal-1"
  echo "$one $live" | awk '{ print $1 / $5 * 100 }' >> "$work/ratio-live"
  log "run $run: live [$live]  portal [$one]"
done
fi
fi

# --- Rows 2r and 6: what users feel, the latency added on top of Stripe at the rate Stripe allows ---
# Stripe accepts about 100 requests/s for a whole live account, so that rate is all the portal, or checkout, can ever
# be asked for. hey's 10 workers each send $rate/10 requests/s for the whole run; against the instant stand-in, every
# millisecond measured is ours (plus loopback). rate_run ENDPOINT BODY, for tenant 1, prints
# "requests/s p50_ms p99_ms non-200".
rate_run() {
  quiet
  hey -z "${duration}s" -c 10 -q "$(( rate / 10 ))" -m POST -T application/json -d "$2" \
    -H "Authorization: Bearer $(cat "$work/tokens-1")" -o csv "$api/api/subscriptions/$1" > "$work/rate.csv"
  awk -F, 'NR > 1 { print $1 * 1000, $7 }' "$work/rate.csv" | sort -g | awk -v duration="$duration" '
    { v[NR] = $1; if ($2 != 200) bad++ }
    END { printf "%.0f %.2f %.2f %d\n", NR / duration, v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1], bad }'
}
# Row 6: checkout for tenant 1, which has a customer and no subscription, so every request is one Stripe call
# (POST /v1/checkout/sessions) and one audit row; checkout never changes the tenant, so the requests stay alike. Its
# code has not run yet, so it gets a warm-up of its own (32 connections, as rows 1 and 2) before the paced runs, which
# alternate with row 2r's so that the two are read within the same runs.
checkout_body="{\"priceId\":\"$price_id\"}"
checkout_load() {
  hey -z "$1" -c "$connections" -m POST -T application/json -d "$checkout_body" \
    -H "Authorization: Bearer $(cat "$work/tokens-1")" "$api/api/subscriptions/checkout" > "$work/checkout-warmup.txt"
}
# checkout_once TOKEN: one checkout, which must answer 200.
checkout_once() {
  local answer
  answer=$(curl -s -w ' %{http_code}' -X POST -H "Content-Type: application/json" -d "$checkout_body" \
    -H "Authorization: Bearer $1" "$api/api/subscriptions/checkout")
  [ "${answer##* }" = 200 ] || { echo "Checkout did not answer 200: $answer" >&2; exit 1; }
}
if [ "$only" != slow ]; then
# First, once each, so that a stand-in answer Stripe.net no longer takes stops the benchmark here: a tenant without a
# customer (tenant 0, never used elsewhere: checkout creates its customer, POST /v1/customers) and tenant 1.
checkout_once "$(mint 0)"
checkout_once "$(cat "$work/tokens-1")"
log "Warming up checkout"
checkout_load "${warmup}s"
warm_checkout() { checkout_load 5s; }
settle warm_checkout
for run in $(seq "$runs"); do
  paced=$(rate_run portal '{}')
  echo "$paced" >> "$work/paced"
  checkout=$(rate_run checkout "$checkout_body")
  echo "$checkout" >> "$work/checkout"
  echo "$checkout $paced" | awk '{ print $2 - $6 }' >> "$work/checkout-added"
  log "run $run: $rate requests/s, portal [$paced]  checkout [$checkout]"
done
log "Checkout's audit rows by outcome: $(sql "SELECT string_agg(outcome || ' ' || n, ', ' ORDER BY outcome)
  FROM (SELECT outcome, count(*) AS n FROM billing_portal_audit WHERE action = 'checkout' GROUP BY outcome) AS o")"
fi
if [ "$only" = checkout ]; then
  table_head
  paced_rows
  exit 0
fi

# --- Row 4: 1 tenant against 1,000,000 tenants in tenant_config ---
# Two fresh databases, one with tenant 1 alone and one with 1,000,000 tenants, each served by an API process of its
# own. The two start together, warm up alike and are measured in turn, so that what differs between them is the
# table's size (and the many-tenant process spreads its requests over 1,000 of its tenants).
for n in $(seq 1 1000); do mint $(( (n * 997) % many_tenants + 1 )); done > "$work/tokens-many"
stop_api
if [ "$only" != slow ]; then
sql "CREATE DATABASE billing_one" postgres
sql "CREATE DATABASE billing_many" postgres
start_api "http://127.0.0.1:$stripe_port" billing_one >/dev/null
one_pid=$api_pid
many_api="http://127.0.0.1:$(free_port)"
on_api "$many_api" start_api "http://127.0.0.1:$stripe_port" billing_many >/dev/null
many_pid=$api_pid
api_pid=$one_pid
log "Seeding $many_tenants tenants"
sql "INSERT INTO tenant_config (tenant_id, stripe_customer_id) VALUES (md5('bench-1')::uuid, 'cus_bench_1')" billing_one
sql "INSERT INTO tenant_config (tenant_id, stripe_customer_id)
     SELECT md5('bench-' || n)::uuid, 'cus_bench_' || n FROM generate_series(1, $many_tenants) n" billing_many
# Vacuumed now, so that autovacuum does not pick the new rows up in the middle of a measured run.
sql "VACUUM (ANALYZE) tenant_config" billing_many
warm_one() { portal "$work/tokens-1" -t2 -c"$connections" -d"${1:-5}s" >/dev/null; }
warm_many() { portal "$work/tokens-many" -t2 -c"$connections" -d"${1:-5}s" >/dev/null; }
warm_one "$warmup"
on_api "$many_api" warm_many "$warmup"
settle warm_one
on_api "$many_api" settle warm_many
for run in $(seq "$runs"); do
  quiet
  one=$(portal "$work/tokens-1" -t2 -c"$connections" -d"${duration}s")
  quiet
  many=$(on_api "$many_api" portal "$work/tokens-many" -t2 -c"$connections" -d"${duration}s")
  echo "$many" >> "$work/portal-many"
  echo "$many $one" | awk '{ print ($5 / $1 - 1) * 100 }' >> "$work/ratio-many"
  log "run $run: 1 tenant [$one]  $many_tenants tenants [$many]"
done
kill "$many_pid"; wait "$many_pid" 2>/dev/null || true; many_pid=""
stop_api
fi

# Row 3 spreads its requests over the same 1,000 tenants, here in the database of rows 1 and 2.
sql "INSERT INTO tenant_config (tenant_id, stripe_customer_id)
     SELECT md5('bench-' || n)::uuid, 'cus_bench_' || n FROM (SELECT (i * 997) % $many_tenants + 1 FROM generate_series(1, 1000) i) AS spread (n)
     ON CONFLICT (tenant_id) DO NOTHING"

# --- Start-up and memory: fresh processes, migrations already applied ---
if [ "$only" != slow ]; then
for run in $(seq "$runs"); do
  start_api "http://127.0.0.1:$stripe_port" >> "$work/startup"
  [ "$run" -lt "$runs" ] && stop_api
done
log "Start-up (ms): $(tr '\n' ' ' < "$work/startup")"
hey_run() { quiet; hey -n "$1" -c "$connections" -m POST -T application/json -d '{}' -H "Authorization: Bearer $(cat "$work/tokens-1")" \
  "$api/api/subscriptions/portal" | awk '/\[200\]/ { ok = $2 } END { print ok + 0 }'; }
ok_20k=$(hey_run 20000)
rss_20k=$(rss_mb VmRSS)
ok_200k=$(hey_run $(( memory_requests - 20000 )))
rss_200k=$(rss_mb VmRSS)
log "memory: ${rss_20k} MB after 20k ($ok_20k ok), ${rss_200k} MB after $memory_requests (+$ok_200k ok)"
stop_api
fi

# --- Row 3: 1,000 connections against the slow stand-in ---
start_api "http://127.0.0.1:$stripe_port/slow" >/dev/null
portal "$work/tokens-many" -t2 -c"$slow_connections" -d"${warmup}s" >/dev/null
warm_row_3() { portal "$work/tokens-many" -t2 -c"$slow_connections" -d5s >/dev/null; }
settle warm_row_3
for run in $(seq "$runs"); do
  quiet
  : > "$work/pg-connections"
  ( while :; do
      sql "SELECT count(*) FILTER (WHERE state <> 'idle'), count(*) FROM pg_stat_activity
           WHERE datname = 'billing' AND pid <> pg_backend_pid()" >> "$work/pg-connections" 2>/dev/null || true
      sleep 0.05
    done ) &
  poller=$!
  slow=$(portal "$work/tokens-many" -t2 -c"$slow_connections" -d"${duration}s")
  kill "$poller"; wait "$poller" 2>/dev/null || true
  peaks=$(awk -F'|' '{ if ($1 > a) a = $1; if ($2 > t) t = $2 } END { print a + 0, t + 0 }' "$work/pg-connections")
  echo "$slow $peaks" >> "$work/slow"
  log "run $run: $slow_connections connections, ${delay_ms} ms Stripe [$slow], PostgreSQL connections in use/open at peak: $peaks"
  steady=$(steady_run)
  echo "$steady" >> "$work/steady"
  log "run $run: $slow_connections connections held open, first ${settle} s left out [$steady]"
done
peak_rss=$(rss_mb VmHWM)
stop_api

# --- Row 5: accepting signed Stripe events ---
# Every event is verified and stored before its 200, then processed by the API's worker (marked ignored: its customer
# belongs to no tenant, so Stripe is not asked). Each run starts once the previous run's events are all processed, so
# that a run measures accepting events, not the backlog of the one before.
if [ "$only" != slow ]; then
start_api "http://127.0.0.1:$stripe_port" >/dev/null
webhooks -t2 -c"$connections" -d"${warmup}s" >/dev/null
drained() { [ "$(sql "SELECT count(*) FROM stripe_event WHERE state = 'pending'")" = 0 ]; }
for run in $(seq "$runs"); do
  for wait in $(seq 600); do drained && break; sleep 0.5; done
  quiet
  hooks=$(webhooks -t2 -c"$connections" -d"${webhook_duration}s")
  echo "$hooks" >> "$work/webhooks"
  log "run $run: webhooks [$hooks]"
done
stop_api
fi

# --- The table ---
[ "$only" = slow ] && exit 0
table_head
cat <<EOF
| 1 | GET /health/live (framework ceiling) | $(m 1 live) | $(m 2 live) | $(m 3 live) | $(m 4 live) | |
| 2 | POST portal, instant Stripe, 1 tenant | $(m 1 portal-1) | $(m 2 portal-1) | $(m 3 portal-1) | $(m 4 portal-1) | $(median < "$work/ratio-live" | awk '{ printf "%.1f", $1 }')% of (1), same runs |
$(paced_rows)
| 3 | POST portal, ${delay_ms} ms Stripe, $slow_connections connections | $(m 1 slow) | $(m 2 slow) | $(m 3 slow) | $(m 4 slow) | PostgreSQL connections at peak: $(m 5 slow) in use, $(m 6 slow) open; peak RSS ${peak_rss} MB |
| 3s | the same, hey's $slow_connections connections held open, first ${settle} s of each run left out | $(m 1 steady) | $(m 2 steady) | $(m 3 steady) | $(m 4 steady) | first second (the connection storm): p99 $(m 5 steady) ms |
| 5 | POST signed Stripe events to /api/stripe/webhooks (each stored before its 200) | $(m 1 webhooks) | $(m 2 webhooks) | $(m 3 webhooks) | $(m 4 webhooks) | $(awk -v a="$(m 1 webhooks)" -v b="$(m 1 portal-1)" 'BEGIN { printf "%.0f", a / b * 100 }')% of (2)'s requests/s; ${webhook_duration} s runs |
| 4 | POST portal, instant Stripe, $many_tenants tenants | $(m 1 portal-many) | $(m 2 portal-many) | $(m 3 portal-many) | $(m 4 portal-many) | $(median < "$work/ratio-many" | awk '{ printf "%+.1f", $1 }')% cost vs 1 tenant, same runs |

Memory (RSS): ${rss_20k} MB after 20k requests, ${rss_200k} MB after $memory_requests ($(awk "BEGIN { printf \"%+.1f\", ($rss_200k / $rss_20k - 1) * 100 }")%).
Start-up to the first 200 from /health/ready: $(median < "$work/startup") ms (median of: $(tr '\n' ' ' < "$work/startup")).
EOF
