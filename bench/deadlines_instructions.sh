#!/usr/bin/env bash
# Instructions this program spends per deadlines view, free of the machine's noise: runs
# `build/bench/org_scale URL - views:CLIENTS N` under callgrind, counting only inside
# service::listDeadlines, for N = 2 and N = 6, and prints the difference divided by the 8
# views between (each run also times as many caseload views, which call it too; the first
# look, which opens every client's key, is in both and so drops out).
# Usage: bash bench/deadlines_instructions.sh URL [CLIENTS] [ORG_SCALE]
#   URL        a database build/bench/org_scale loaded (see docs/performance.md)
#   CLIENTS    how many it loaded (default 10000)
#   ORG_SCALE  the program to measure (default build/bench/org_scale; another build's to
#              compare)
# Needs valgrind (apt install valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
url=$1
clients=${2:-10000}
bin=${3:-$PWD/build/bench/org_scale}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
declare -A ir
for n in 2 6; do
  ORG_SCALE_CHANGES=0 valgrind --tool=callgrind --callgrind-out-file="$work/cg.$n" \
    --toggle-collect='recourse::service::listDeadlines*' \
    "$bin" "$url" - "views:$clients" "$n" >/dev/null 2>"$work/err.$n"
  ir[$n]=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/err.$n")
done
echo "instructions per deadlines view: $(((ir[6] - ir[2]) / 8))"
