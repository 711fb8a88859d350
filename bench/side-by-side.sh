#!/usr/bin/env bash
# Side-by-side comparison of published API builds, or of one build under different settings: each variant is
# started in turn against the benchmark's instant Stripe stand-in and a fresh database, and measured with row 2r's load
# (100 requests/s from hey's 10 workers, after 8 s of the same load) and then 8 s at 32 connections.
#
#   bench/side-by-side.sh "label|published-dir|ENV=value ...|;extra=connection-string" ...
#
# e.g. dotnet publish src/Billing.Api -c Release -o /tmp/a, then
#   bench/side-by-side.sh "a|/tmp/a||" "a-no-logs|/tmp/a|Logging__LogLevel__Default=Warning|" "a|/tmp/a||"
# Give each variant twice, interleaved: single runs differ by 10-20%.
# Stripe's shared budget is on at 10,000 calls/s, which the load never reaches (a variant may set it otherwise).
# AB_OPEN_LOOP=1 also measures 10 s of 100 requests/s open loop (bench/budget-load.py: one request every 10 ms,
# whatever the answers take), as users arriving independently would; hey's 10 workers send theirs together.
set -euo pipefail
work=${AB_WORK:-/tmp/billing-side-by-side}; rm -rf "$work"; mkdir -p "$work"; chmod 755 "$work"; chown postgres "$work"
pgbin=/usr/lib/postgresql/15/bin
pg() { runuser -u postgres -- "$pgbin/$1" "${@:2}"; }
pg_port=25432; stripe_port=25433; api_port=25434
pg initdb -D "$work/pg" -U postgres -A trust -E UTF8 >/dev/null
pg pg_ctl start -D "$work/pg" -w -l "$work/pg.log" -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1" >/dev/null
sql() { PGOPTIONS=--client-min-messages=warning psql -X -q -At -h 127.0.0.1 -p $pg_port -U postgres -d "${2:-billing}" -c "$1"; }
session='{"id":"bps_bench","object":"billing_portal.session","customer":"cus_bench","livemode":false,"created":1700000000,"return_url":"https://app.example.com/settings/billing","url":"https://billing.stripe.com/p/session/test_bench"}'
mkdir -p "$work/nginx-body"
sed -e "s|__WORK__|$work|g" -e "s|__PORT__|$stripe_port|" -e "s|__DELAY__|0.3|" -e "s|__SESSION__|$session|" \
  "$(dirname "$0")/stripe-standin.conf" > "$work/nginx.conf"
/usr/sbin/nginx -p "$work" -c "$work/nginx.conf" -e "$work/nginx-error.log"
cleanup() { kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; pg pg_ctl stop -D "$work/pg" -m fast >/dev/null || true; }
trap cleanup EXIT

openssl rand 32 > "$work/key"; key_hex=$(od -An -tx1 "$work/key" | tr -d ' \n')
issuer=https://issuer.bench.local; audience=billing-api; tenant=11111111-1111-4111-8111-111111111111
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
payload=$(printf '{"iss":"%s","aud":"%s","sub":"u","tenant_id":"%s","exp":%s}' $issuer $audience $tenant $(( $(date +%s) + 86400 )) | b64url)
sig=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | b64url)
token="$header.$payload.$sig"; echo "$token" > "$work/token"
api="http://127.0.0.1:$api_port"

start() { # dir connection-string-extra env...
  local dir=$1 extra=$2; shift 2
  sql "DROP DATABASE IF EXISTS billing WITH (FORCE)" postgres; sql "CREATE DATABASE billing" postgres
  env Stripe__RateLimit__RequestsPerSecond=10000 "$@" ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS=$api \
    ConnectionStrings__Billing="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=billing$extra" \
    Stripe__SecretKey=sk_test_bench Stripe__ApiBase=http://127.0.0.1:$stripe_port App__PublicUrl=https://app.example.com \
    Portal__RateLimit__PermitLimit=1000000000 Authentication__Schemes__Bearer__ValidIssuer=$issuer \
    Authentication__Schemes__Bearer__ValidAudiences__0=$audience Authentication__Schemes__Bearer__SigningKeys__0__Issuer=$issuer \
    Authentication__Schemes__Bearer__SigningKeys__0__Value="$(base64 -w0 "$work/key")" \
    bash -c "cd '$dir' && exec dotnet Billing.Api.dll" >> "$work/api.log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null $api/health/ready; do sleep 0.05; kill -0 $pid || { echo "$dir did not start: $work/api.log"; exit 1; }; done
  sql "INSERT INTO tenant_config (tenant_id, stripe_customer_id) VALUES ('$tenant', 'cus_1')"
}

portal() { hey "$@" -m POST -T application/json -d '{}' -H "Authorization: Bearer $token" $api/api/subscriptions/portal; }

for variant in "$@"; do
  IFS='|' read -r label dir envs extra <<< "$variant"
  # shellcheck disable=SC2086 # envs is a list of NAME=value words
  start "$dir" "$extra" $envs
  portal -z 8s -c 10 -q 10 >/dev/null
  portal -z 10s -c 10 -q 10 -o csv > "$work/paced.csv"
  paced=$(awk -F, 'NR > 1 { print $1 * 1000 }' "$work/paced.csv" | sort -g |
    awk '{ v[NR] = $1 } END { printf "p50 %.2f ms, p99 %.2f ms at 100 requests/s", v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1] }')
  throughput=$(portal -z 8s -c 32 | awk '/Requests\/sec/ { printf "%d requests/s at 32 connections", $2 }')
  open_loop=""
  if [ "${AB_OPEN_LOOP:-0}" = 1 ]; then
    python3 "$(dirname "$0")/budget-load.py" 100 10 "$work/token" "$work/open.csv" "$api" >/dev/null
    open_loop=$(awk -F, 'NR > 1 && $3 == 200 { print $4 }' "$work/open.csv" | sort -g |
      awk '{ v[NR] = $1 } END { printf "; open loop p50 %.2f ms, p99 %.2f ms", v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1] }')
  fi
  echo "$label: $paced; $throughput$open_loop"
  kill $pid; wait $pid 2>/dev/null || true
done
