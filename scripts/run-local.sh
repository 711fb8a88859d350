#!/usr/bin/env bash
# Runs the whole billing loop on this machine: the Billing API with Swagger UI, the sample SPA on its own origin, and a
# project-local PostgreSQL cluster in .local/ (created on first run, kept between runs). Checks prerequisites first
# and lists everything missing. Seeds a demo tenant and a tenant without a customer, and prints the SPA's URL, a
# bearer token for each tenant, the Swagger URL and a curl.
#
#   scripts/run-local.sh                                 # no Stripe account needed: the local Stripe emulator
#   Stripe__SecretKey=sk_test_... scripts/run-local.sh   # your Stripe test account
#
# Without a key it also starts the Stripe emulator (tools/StripeEmulator): it serves Checkout and the billing portal
# itself, signs its webhooks with a secret made once into .local/, and offers two plans (Team, Business). The emulator
# keeps nothing when it stops, so each such run starts from an empty database (billing_emulator) in which the demo
# tenant has no customer yet: Subscribe creates one.
# With a key, the database (billing) is kept, and with a test-mode key and no customer for the demo tenant yet it
# creates one in your Stripe test account (scripts/ensure-demo-customer.cs), so the first click opens a real portal.
#
# Optional: BILLING_API_URL (default http://localhost:5137), BILLING_SPA_URL (http://localhost:5173),
# BILLING_EMULATOR_URL (http://127.0.0.1:12111), BILLING_PG_PORT (54329); with a key, DEMO_STRIPE_CUSTOMER_ID=cus_...
# links the demo tenant to that customer instead.
set -euo pipefail
cd "$(dirname "$0")/.."

local_dir="$PWD/.local"
pg_port="${BILLING_PG_PORT:-54329}"
api_url="${BILLING_API_URL:-http://localhost:5137}"
spa_url="${BILLING_SPA_URL:-http://localhost:5173}"
emulator_url="${BILLING_EMULATOR_URL:-http://127.0.0.1:12111}"
issuer="billing-local-dev"
audience="billing-api"
demo_tenant="11111111-1111-4111-8111-111111111111"
tenant_without_customer="22222222-2222-4222-8222-222222222222"
# Builds included, on a cold machine.
start_timeout=300

fail() { echo "run-local: $*" >&2; exit 1; }
port_of() { printf '%s' "$1" | sed -n 's#.*:\([0-9][0-9]*\).*#\1#p'; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
as_db_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ -n "${Stripe__SecretKey:-}" ]; then
  stripe_mode=account
else
  stripe_mode=emulator
fi

# --- prerequisites: find everything that is missing, then say it all at once --------------------------------
problems=()
if ! command -v dotnet >/dev/null; then
  problems+=("The .NET SDK is missing: install .NET SDK $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' global.json) or a later feature band (https://dot.net).")
elif ! dotnet --version >/dev/null 2>&1; then
  problems+=("No installed .NET SDK satisfies global.json ($(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' global.json), later feature bands allowed); 'dotnet --list-sdks' shows: $(dotnet --list-sdks | cut -d' ' -f1 | tr '\n' ' ')")
fi
command -v openssl >/dev/null || problems+=("openssl is missing (Debian/Ubuntu: apt-get install -y openssl); it makes the dev signing key and tokens.")
command -v curl >/dev/null || problems+=("curl is missing (Debian/Ubuntu: apt-get install -y curl); it waits for the services to be ready.")
command -v psql >/dev/null || problems+=("psql is missing (Debian/Ubuntu: apt-get install -y postgresql-client).")
pg_bin=$(dirname "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)")
[ -x "$pg_bin/initdb" ] || problems+=("The PostgreSQL server binaries (initdb, pg_ctl) are missing (Debian/Ubuntu: apt-get install -y postgresql).")
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  problems+=("Running as root needs a 'postgres' user to run PostgreSQL (it refuses root); installing the postgresql package creates it.")
elif [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$PWD"; then
  problems+=("The 'postgres' user, which runs PostgreSQL here (it refuses root), cannot enter $PWD: let every user enter it and its parent folders (chmod o+x), or clone the repository elsewhere.")
fi

cluster_running() {
  [ -x "$pg_bin/pg_ctl" ] && [ -f "$local_dir/pgdata/PG_VERSION" ] && as_db_owner "$pg_bin/pg_ctl" status -D "$local_dir/pgdata" >/dev/null 2>&1
}
# <port> <what> <variable that moves it>
check_port() {
  if [ -n "$1" ] && port_in_use "$1"; then
    problems+=("Port $1 ($2) is already in use (another run of this script?); stop what listens there or set $3.")
  fi
}
check_port "$(port_of "$api_url")" "the API" "BILLING_API_URL=http://localhost:<port>"
check_port "$(port_of "$spa_url")" "the sample SPA" "BILLING_SPA_URL=http://localhost:<port>"
[ "$stripe_mode" = account ] || check_port "$(port_of "$emulator_url")" "the Stripe emulator" "BILLING_EMULATOR_URL=http://127.0.0.1:<port>"
cluster_running || check_port "$pg_port" "PostgreSQL" "BILLING_PG_PORT=<port>"
if [ "${#problems[@]}" -gt 0 ]; then
  echo "run-local: cannot start yet:" >&2
  printf '  - %s\n' "${problems[@]}" >&2
  exit 1
fi

# --- PostgreSQL: a cluster of our own, run as the postgres user when we are root (PostgreSQL refuses root) -----
mkdir -p "$local_dir"
if [ ! -f "$local_dir/pgdata/PG_VERSION" ]; then
  echo "Creating a PostgreSQL cluster in .local/pgdata"
  mkdir -p "$local_dir/pgdata"
  [ "$(id -u)" -ne 0 ] || chown -R postgres:postgres "$local_dir"
  as_db_owner "$pg_bin/initdb" -D "$local_dir/pgdata" -U postgres -A trust -E UTF8 >/dev/null
fi
if ! cluster_running; then
  as_db_owner "$pg_bin/pg_ctl" start -D "$local_dir/pgdata" -w -l "$local_dir/pgdata/server.log" \
    -o "-p $pg_port -k $local_dir -c listen_addresses=127.0.0.1" >/dev/null
fi
psql_local() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres "$@"; }
if [ "$stripe_mode" = emulator ]; then
  # The emulator forgets every customer when it stops: customer ids from an earlier run would point at nothing.
  database=billing_emulator
  psql_local -d postgres -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database"
else
  database=billing
  if [ -z "$(psql_local -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'")" ]; then
    psql_local -d postgres -c "CREATE DATABASE $database"
  fi
fi

# --- a dev signing key and the emulator's webhook secret, made once and kept in .local (never committed) ----
[ -f "$local_dir/jwt-signing-key" ] || openssl rand -base64 32 > "$local_dir/jwt-signing-key"
signing_key=$(cat "$local_dir/jwt-signing-key")

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
mint_token() {
  local now header payload key_hex signature
  now=$(date +%s)
  header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"iss":"%s","aud":"%s","sub":"demo-user","tenant_id":"%s","iat":%d,"nbf":%d,"exp":%d}' \
    "$issuer" "$audience" "$1" "$now" "$now" $((now + 8 * 3600)) | b64url)
  key_hex=$(printf '%s' "$signing_key" | openssl base64 -d -A | od -An -v -tx1 | tr -d ' \n')
  signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | b64url)
  printf '%s.%s.%s' "$header" "$payload" "$signature"
}

# --- the processes: each started in the background, all stopped together ---------------------------------------
# `dotnet run` passes SIGTERM on to the program it runs; Ctrl-C reaches them all anyway (one process group).
started=()
stop_all() {
  [ "${#started[@]}" -eq 0 ] || kill "${started[@]}" 2>/dev/null || true
  wait
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# <what> <pid> <where its output goes> <command...>: runs the command every second until it succeeds.
wait_until() {
  local what=$1 pid=$2 output=$3
  shift 3
  for _ in $(seq 1 "$start_timeout"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    kill -0 "$pid" 2>/dev/null || fail "$what exited during start-up; see $output."
    sleep 1
  done
  fail "$what did not start within $start_timeout s; see $output."
}
# Any HTTP answer at all, even 404: something listens.
answers() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" != 000 ]; }

if [ "$stripe_mode" = emulator ]; then
  echo "Building and starting the Stripe emulator, the sample SPA's server and the API..."
else
  echo "Building and starting the sample SPA's server and the API..."
fi
dotnet run scripts/serve-spa.cs -- "$PWD/samples/spa" "$spa_url" >"$local_dir/spa.log" 2>&1 &
spa_pid=$!
started+=("$spa_pid")

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export ConnectionStrings__Billing="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$database"
export Authentication__Schemes__Bearer__ValidIssuer="$issuer"
export Authentication__Schemes__Bearer__ValidAudiences__0="$audience"
export Authentication__Schemes__Bearer__SigningKeys__0__Issuer="$issuer"
export Authentication__Schemes__Bearer__SigningKeys__0__Value="$signing_key"
# Stripe sends users back to the SPA, and the SPA calls the API from its origin.
export App__PublicUrl="$spa_url"
export Cors__AllowedOrigins__0="$spa_url"

if [ "$stripe_mode" = emulator ]; then
  if [ ! -f "$local_dir/emulator-webhook-secret" ]; then
    (umask 077 && printf 'whsec_%s\n' "$(openssl rand -hex 32)" > "$local_dir/emulator-webhook-secret")
  fi
  webhook_secret=$(cat "$local_dir/emulator-webhook-secret")
  # --urls, not ASPNETCORE_URLS: the emulator's appsettings.json names its default URL, and would win over the latter.
  Emulator__WebhookUrl="$api_url/api/stripe/webhooks" Emulator__WebhookSecret="$webhook_secret" \
    dotnet run --project tools/StripeEmulator --no-launch-profile -- --urls "$emulator_url" >"$local_dir/emulator.log" 2>&1 &
  emulator_pid=$!
  started+=("$emulator_pid")

  # The emulator accepts any test-mode key; this one is a placeholder, not a credential.
  export Stripe__SecretKey="sk_test_local_emulator_not_a_secret"
  export Stripe__ApiBase="$emulator_url"
  export Stripe__WebhookSecrets__0="$webhook_secret"
  # The prices the emulator offers from the start (tools/StripeEmulator/appsettings.json).
  export Billing__Plans__0__PriceId=price_demo_team Billing__Plans__0__Name=Team
  export Billing__Plans__1__PriceId=price_demo_business Billing__Plans__1__Name=Business
fi

ASPNETCORE_URLS="$api_url" dotnet run --project src/Billing.Api --no-launch-profile &
api_pid=$!
started+=("$api_pid")

wait_until "The sample SPA's server" "$spa_pid" ".local/spa.log" curl -fsS "$spa_url/"
[ "$stripe_mode" = account ] || wait_until "The Stripe emulator" "$emulator_pid" ".local/emulator.log" answers "$emulator_url/"
echo "Waiting for the API (migrations are applied at start-up)..."
wait_until "The API" "$api_pid" "its output above" curl -fsS "$api_url/health/ready"

# Idempotent: both tenants exist afterwards; the demo tenant keeps its customer unless DEMO_STRIPE_CUSTOMER_ID
# names a new one (with a key only: the emulator knows no customer of yours).
[ "$stripe_mode" = account ] || DEMO_STRIPE_CUSTOMER_ID=""
psql_local -d "$database" -v tenant="$demo_tenant" -v other="$tenant_without_customer" -v customer="${DEMO_STRIPE_CUSTOMER_ID:-}" <<'SQL'
INSERT INTO tenant_config (tenant_id, stripe_customer_id)
VALUES (:'tenant', NULLIF(:'customer', '')), (:'other', NULL)
ON CONFLICT (tenant_id) DO UPDATE
SET stripe_customer_id = COALESCE(NULLIF(:'customer', ''), tenant_config.stripe_customer_id), updated_at = now()
WHERE tenant_config.tenant_id = :'tenant';
SQL
demo_customer=$(psql_local -d "$database" -tAc "SELECT coalesce(stripe_customer_id, '') FROM tenant_config WHERE tenant_id = '$demo_tenant'")

# With a test-mode key and no customer yet, make one in the Stripe test account so the first click opens a real portal.
if [ "$stripe_mode" = account ]; then
  case "$Stripe__SecretKey" in
    sk_test_*|rk_test_*)
      if [ -z "$demo_customer" ]; then
        echo "Creating a customer for the demo tenant in your Stripe test account..."
        if ! demo_customer=$(dotnet run scripts/ensure-demo-customer.cs -- "$demo_tenant" 2>"$local_dir/ensure-demo-customer.log" | tail -n 1); then
          demo_customer=""
          echo "run-local: could not create the demo customer (the API keeps running); details:" >&2
          sed 's/^/  /' "$local_dir/ensure-demo-customer.log" >&2
        fi
      fi
      ;;
  esac
fi
token=$(mint_token "$demo_tenant")

# The SPA calls http://localhost:5137 unless told otherwise; it remembers ?api= for the tab.
spa_page="$spa_url/settings/billing"
[ "$api_url" = "http://localhost:5137" ] || spa_page="$spa_page?api=$api_url"

if [ "$stripe_mode" = emulator ]; then
  stripe_line="the local Stripe emulator at $emulator_url (no Stripe account; it keeps nothing when it stops; log: .local/emulator.log)"
  customer_line="${demo_customer:-none yet: Subscribe (Checkout) creates one}"
  try_it="curl -i -X POST $api_url/api/subscriptions/checkout -H \"Authorization: Bearer $token\" -H 'Content-Type: application/json' -d '{\"priceId\":\"price_demo_team\"}'"
  webhooks="Stripe webhooks: the emulator signs its events and sends them to $api_url/api/stripe/webhooks."
else
  stripe_line="your Stripe account (Stripe__SecretKey)"
  customer_line="${demo_customer:-none yet; use a test-mode key, or set DEMO_STRIPE_CUSTOMER_ID=cus_..., and rerun}"
  try_it="curl -i -X POST $api_url/api/subscriptions/portal -H \"Authorization: Bearer $token\""
  webhooks="Stripe webhooks: $api_url/api/stripe/webhooks (it answers 404 while no Stripe__WebhookSecrets__0 is set).
Forward your Stripe test events to it with:
stripe listen --forward-to $api_url/api/stripe/webhooks
then rerun this script with Stripe__WebhookSecrets__0=<the whsec_... it prints>."
fi

cat <<INFO

Billing API is running at $api_url (Ctrl-C stops everything; PostgreSQL keeps running: .local/pgdata, port $pg_port).
  Billing page: $spa_page  (the sample SPA; paste the token below)
  Stripe:       $stripe_line
  Swagger UI:   $api_url/swagger  (Authorize, paste the token below)
  Demo tenant:  $demo_tenant, Stripe customer: $customer_line
  Tenant without a customer: $tenant_without_customer (token: $(mint_token "$tenant_without_customer"))

Bearer token for the demo tenant (valid 8 hours):
$token

Try it:
$try_it

$webhooks

INFO
wait "$api_pid"
