# Sourced by the benchmarks. The caller defines log() and sets $issuer, $audience and $key_hex (the signing key, in hex).

# When a load generator stops, the requests it had in flight are cancelled, and at 1,000 connections the service
# then spends about 0.3 s of CPU on their hang-ups (Stripe calls cancelled, `abandoned` audit rows, log lines). A
# run started at once would measure that with its own first second, so every measured run first waits until the
# machine has been quiet (under 5% of its CPU busy) for 250 ms, at most 10 s.
quiet() {
  local round busy
  for round in $(seq 40); do
    busy=$( { head -n 1 /proc/stat; sleep 0.25; head -n 1 /proc/stat; } |
      awk '{ b = $2 + $3 + $4 + $7 + $8 + $9; t = b + $5 + $6 } NR == 1 { b0 = b; t0 = t } NR == 2 { printf "%d", (b - b0) * 100 / (t - t0) }')
    [ "$busy" -lt 5 ] && return
  done
  log "The machine was still busy ($busy% CPU) after 10 s"
}

# wait_ready URL PID LOG [SLEEP]: waits until URL answers 2xx; stops the benchmark if the process PID exits first,
# with the end of its LOG.
wait_ready() {
  until curl -fs -o /dev/null "$1"; do
    kill -0 "$2" 2>/dev/null || { echo "The process behind $1 exited; see $3" >&2; tail -n 20 "$3" >&2; exit 1; }
    sleep "${4:-0.05}"
  done
}

# Bearer tokens for bench tenants, HS256 as the API is configured to accept.

# Tenant n's id, as PostgreSQL's md5('bench-' || n)::uuid spells it.
tenant_id() { printf 'bench-%s' "$1" | md5sum | sed -E 's/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/\1-\2-\3-\4-\5/'; }
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
# A token for tenant n, valid for a day.
mint() {
  local header payload signature
  header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"iss":"%s","aud":"%s","sub":"bench-user","tenant_id":"%s","exp":%s}' \
    "$issuer" "$audience" "$(tenant_id "$1")" $(( $(date +%s) + 86400 )) | b64url)
  signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | b64url)
  echo "$header.$payload.$signature"
}
