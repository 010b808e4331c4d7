#!/usr/bin/env bash
# Runs every fuzz target for longer than the test command does (scripts/fuzz.sh, which this
# calls) and prints a markdown table for docs/reliability.md. Usage:
#   bench/fuzz.sh [SECONDS_PER_TARGET] [EXECUTIONS_PER_TARGET]
#   (defaults 600 and 1000000: each target runs until either is reached, one after another)
# Exits non-zero when any target crashed; the table still lists every target.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-600}"
export FUZZ_RUNS="${2:-1000000}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
bash scripts/fuzz.sh "$seconds" | tee "$log" || status=$?

echo
echo "| target | executions | exec/s | seconds | crashes |"
echo "|---|---:|---:|---:|---:|"
awk '$1 == "result:" {
  printf "| fuzz_%s | %d | %d | %d | %d |\n", $2, $3, ($4 > 0 ? $3 / $4 : 0), $4, $5
}' "$log"
exit "$status"
