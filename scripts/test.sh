#!/usr/bin/env bash
# Runs the whole test suite (unit, PostgreSQL, Stripe fake, end-to-end) and ends with "N passed, N failed".
# The tests start their own PostgreSQL from the local server binaries, or use BILLING_TEST_DATABASE.
# Extra arguments go to dotnet test, e.g. scripts/test.sh --filter "FullyQualifiedName~EndToEnd".
set -euo pipefail
cd "$(dirname "$0")/.."

results=TestResults
trx="$results/billing-tests.trx"
rm -f "$trx"

status=0
dotnet test Billing.sln --logger "trx;LogFileName=billing-tests.trx" --results-directory "$results" "$@" || status=$?

counter() { grep -o "<Counters [^>]*>" "$trx" | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]\+"; }
if [ -f "$trx" ]; then
  passed=$(counter passed)
  failed=$(( $(counter failed) + $(counter error) + $(counter timeout) + $(counter aborted) ))
else
  passed=0
  failed=0
fi

echo "$passed passed, $failed failed"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "No test ran." >&2
  status=1
fi
exit "$status"
