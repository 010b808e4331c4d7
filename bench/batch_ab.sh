#!/usr/bin/env bash
# The 10,000-row records-request batch into one organization database, run by two builds
# of recourse in turn (A, B, A, B, …), to see whether a change moved the batch's time
# beyond the run-to-run spread. A throwaway server (scripts/pg_cluster.sh, durable) is
# loaded with CLIENTS clients first (build/bench/org_scale), then each build runs the batch
# ROUNDS times, new clients each run. Prints "A seconds" / "B seconds" lines.
# Usage: bash bench/batch_ab.sh RECOURSE_A RECOURSE_B [ROUNDS] [CLIENTS]
# Needs: a build (bash scripts/build.sh) and PostgreSQL's server (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ] || [ ! -x "$1" ] || [ ! -x "$2" ]; then
  echo "usage: bash bench/batch_ab.sh RECOURSE_A RECOURSE_B [ROUNDS] [CLIENTS]" >&2
  exit 2
fi
a=$(realpath "$1")
b=$(realpath "$2")
rounds=${3:-3}
clients=${4:-10000}
measure=$PWD/build/bench/measure
scale=$PWD/build/bench/org_scale
[ -x "$measure" ] && [ -x "$scale" ] || bash scripts/build.sh >/dev/null
work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/recourse-ab-XXXXXX")
if [ "$(id -u)" -eq 0 ]; then chown -h postgres: "$work"; fi
stop() {
  bash scripts/pg_cluster.sh stop "$work/cluster" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop EXIT
url=$(PG_CLUSTER_DURABLE=1 bash scripts/pg_cluster.sh start "$work/cluster" | tail -n1)
mkdir -p "$work/run"
"$scale" "$url" "$work/run/vault.db" "$clients" 5 >/dev/null 2>&1
source bench/batch_csv.sh
export RECOURSE_PASSPHRASE="benchmark owner passphrase, not a real one"  # org_scale's owner
field() { sed -n "s/.*[ ^]$1=\([0-9.]*\).*/\1/p"; }
n=0
for _ in $(seq "$rounds"); do
  for which in A B; do
    n=$((n + 1))
    bin=$a
    [ "$which" = B ] && bin=$b
    make_csv 10000 "R$n-" >"$work/run/rows.csv"
    rm -rf "$work/run/data" "$work/run/out"
    line=$("$measure" "$bin" --database "$url" --user owner request batch --data-dir \
      "$work/run/data" --csv "$work/run/rows.csv" --out "$work/run/out" 2>&1 >/dev/null | tail -1)
    test "$(($(wc -l <"$work/run/out/tracking.csv") - 1))" -eq 10000
    echo "$which $(echo " $line" | field seconds)"
  done
done
