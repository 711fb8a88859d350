#!/usr/bin/env bash
# Runs the Billing API on this machine with Swagger UI, against a project-local PostgreSQL cluster in .local/
# (created on first run, kept between runs). Checks prerequisites first and lists everything missing. Seeds a
# demo tenant and a tenant without a customer, and prints a bearer token for each, the Swagger URL, a curl and
# the Stripe webhook URL with its stripe listen command.
# With a test-mode key and no customer for the demo tenant yet, it creates one in your Stripe test account
# (scripts/ensure-demo-customer.cs), so the first click opens a real portal. Run it again: data is kept.
#
#   Stripe__SecretKey=sk_test_... scripts/run-local.sh
#
# Optional: DEMO_STRIPE_CUSTOMER_ID=cus_... links the demo tenant to that customer instead;
# BILLING_PG_PORT (default 54329) and BILLING_API_URL (default http://localhost:5137).
set -euo pipefail
cd "$(dirname "$0")/.."

local_dir="$PWD/.local"
pg_port="${BILLING_PG_PORT:-54329}"
api_url="${BILLING_API_URL:-http://localhost:5137}"
issuer="billing-local-dev"
audience="billing-api"
demo_tenant="11111111-1111-4111-8111-111111111111"
tenant_without_customer="22222222-2222-4222-8222-222222222222"

fail() { echo "run-local: $*" >&2; exit 1; }

# --- prerequisites: find everything that is missing, then say it all at once --------------------------------
problems=()
if ! command -v dotnet >/dev/null; then
  problems+=("The .NET SDK is missing: install .NET SDK $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' global.json) or a later feature band (https://dot.net).")
elif ! dotnet --version >/dev/null 2>&1; then
  problems+=("No installed .NET SDK satisfies global.json ($(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' global.json), later feature bands allowed); 'dotnet --list-sdks' shows: $(dotnet --list-sdks | cut -d' ' -f1 | tr '\n' ' ')")
fi
command -v openssl >/dev/null || problems+=("openssl is missing (Debian/Ubuntu: apt-get install -y openssl); it makes the dev signing key and tokens.")
command -v curl >/dev/null || problems+=("curl is missing (Debian/Ubuntu: apt-get install -y curl); it waits for the API to be ready.")
command -v psql >/dev/null || problems+=("psql is missing (Debian/Ubuntu: apt-get install -y postgresql-client).")
pg_bin=$(dirname "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)")
[ -x "$pg_bin/initdb" ] || problems+=("The PostgreSQL server binaries (initdb, pg_ctl) are missing (Debian/Ubuntu: apt-get install -y postgresql).")
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  problems+=("Running as root needs a 'postgres' user to run PostgreSQL (it refuses root); installing the postgresql package creates it.")
fi
if [ -z "${Stripe__SecretKey:-}" ]; then
  problems+=("Stripe__SecretKey is not set. Use a test-mode key from https://dashboard.stripe.com/test/apikeys:
      export Stripe__SecretKey=sk_test_...
    (or run stripe-mock and also set Stripe__ApiBase=http://127.0.0.1:12111 with any sk_test_ value).")
fi
api_port=$(printf '%s' "$api_url" | sed -n 's#.*:\([0-9][0-9]*\).*#\1#p')
if (exec 3<>"/dev/tcp/127.0.0.1/${api_port:-80}") 2>/dev/null; then
  problems+=("Port ${api_port:-80} is already in use (another run of this script?); stop it or set BILLING_API_URL=http://localhost:<port>.")
fi
if [ "${#problems[@]}" -gt 0 ]; then
  echo "run-local: cannot start yet:" >&2
  printf '  - %s\n' "${problems[@]}" >&2
  exit 1
fi

# --- PostgreSQL: a cluster of our own, run as the postgres user when we are root (PostgreSQL refuses root) -----
as_db_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$local_dir"
if [ ! -f "$local_dir/pgdata/PG_VERSION" ]; then
  echo "Creating a PostgreSQL cluster in .local/pgdata"
  mkdir -p "$local_dir/pgdata"
  [ "$(id -u)" -ne 0 ] || chown -R postgres:postgres "$local_dir"
  as_db_owner "$pg_bin/initdb" -D "$local_dir/pgdata" -U postgres -A trust -E UTF8 >/dev/null
fi
if ! as_db_owner "$pg_bin/pg_ctl" status -D "$local_dir/pgdata" >/dev/null 2>&1; then
  as_db_owner "$pg_bin/pg_ctl" start -D "$local_dir/pgdata" -w -l "$local_dir/pgdata/server.log" \
    -o "-p $pg_port -k $local_dir -c listen_addresses=127.0.0.1" >/dev/null
fi
psql_local() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres "$@"; }
if [ -z "$(psql_local -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'billing'")" ]; then
  psql_local -d postgres -c "CREATE DATABASE billing"
fi

# --- a dev signing key, made once and kept in .local (never committed) ---------------------------------------
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

# --- the API --------------------------------------------------------------------------------------------------
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export ASPNETCORE_URLS="$api_url"
export ConnectionStrings__Billing="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=billing"
export Authentication__Schemes__Bearer__ValidIssuer="$issuer"
export Authentication__Schemes__Bearer__ValidAudiences__0="$audience"
export Authentication__Schemes__Bearer__SigningKeys__0__Issuer="$issuer"
export Authentication__Schemes__Bearer__SigningKeys__0__Value="$signing_key"

echo "Building and starting the API (migrations are applied at start-up)..."
dotnet run --project src/Billing.Api --no-launch-profile &
api_pid=$!
trap 'kill "$api_pid" 2>/dev/null; wait "$api_pid" 2>/dev/null' EXIT INT TERM

for _ in $(seq 1 120); do
  if curl -fsS "$api_url/health/ready" >/dev/null 2>&1; then break; fi
  kill -0 "$api_pid" 2>/dev/null || fail "the API exited during start-up; see its output above."
  sleep 1
done
curl -fsS "$api_url/health/ready" >/dev/null 2>&1 || fail "the API did not become ready within 120 s."

# Idempotent: both tenants exist afterwards; the demo tenant keeps its customer unless DEMO_STRIPE_CUSTOMER_ID
# names a new one.
psql_local -d billing -v tenant="$demo_tenant" -v other="$tenant_without_customer" -v customer="${DEMO_STRIPE_CUSTOMER_ID:-}" <<'SQL'
INSERT INTO tenant_config (tenant_id, stripe_customer_id)
VALUES (:'tenant', NULLIF(:'customer', '')), (:'other', NULL)
ON CONFLICT (tenant_id) DO UPDATE
SET stripe_customer_id = COALESCE(NULLIF(:'customer', ''), tenant_config.stripe_customer_id), updated_at = now()
WHERE tenant_config.tenant_id = :'tenant';
SQL
demo_customer=$(psql_local -d billing -tAc "SELECT coalesce(stripe_customer_id, '') FROM tenant_config WHERE tenant_id = '$demo_tenant'")

# With a test-mode key and no customer yet, make one in the Stripe test account so the first click opens a real portal.
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
token=$(mint_token "$demo_tenant")

cat <<INFO

Billing API is running at $api_url (Ctrl-C stops it; PostgreSQL keeps running: .local/pgdata, port $pg_port).
  Swagger UI:  $api_url/swagger  (Authorize, paste the token below)
  Demo tenant: $demo_tenant, Stripe customer: ${demo_customer:-none yet; use a test-mode key, or set DEMO_STRIPE_CUSTOMER_ID=cus_..., and rerun}
  Tenant without a customer: $tenant_without_customer (token: $(mint_token "$tenant_without_customer"))

Bearer token for the demo tenant (valid 8 hours):
$token

Try it:
curl -i -X POST $api_url/api/subscriptions/portal -H "Authorization: Bearer $token"

Stripe webhooks: $api_url/api/stripe/webhooks (it answers 404 while no Stripe__WebhookSecrets__0 is set).
Forward your Stripe test events to it with:
stripe listen --forward-to $api_url/api/stripe/webhooks
then rerun this script with Stripe__WebhookSecrets__0=<the whsec_... it prints>.

INFO
wait "$api_pid"
