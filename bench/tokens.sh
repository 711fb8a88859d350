# Sourced by the benchmarks: bearer tokens for bench tenants, HS256 as the API is configured to accept.
# The caller sets $issuer, $audience and $key_hex (the signing key, in hex).

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
