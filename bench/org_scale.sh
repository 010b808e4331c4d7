#!/usr/bin/env bash
# The organization database at scale: loads an office's records step by step into a vault
# and moves it into a throwaway PostgreSQL server as `migrate --to` does
# (build/bench/org_scale, see bench/org_scale.cc), and times, after each step, an advocate's deadlines view across their 500 clients, their caseload page and a
# case page's data; then runs the 10,000-row records-request batch end to end into that
# loaded database and into a new SQLite vault on the same disk, in the same run.
# Usage: bash bench/org_scale.sh [STEPS] [RUNS] [BATCH_RUNS]
#   STEPS       client counts to load up to (default 1000,10000,100000: 10k, 100k and 1M
#               incidents and requests)
#   RUNS        timed repetitions of each view per step (default 200: the p99 of 50 runs,
#               by nearest rank, would be the slowest one; the slowest is printed too)
#   BATCH_RUNS  batch runs on each engine (default 3; medians)
#   BENCH_DIR=/path   where the server and the vault live (default /tmp: on disk)
# Both engines keep their usual durability: the server is started with fsync and
# synchronous commits on (scripts/pg_cluster.sh turns them off for the tests).
# Needs: a build (bash scripts/build.sh) and PostgreSQL's server (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-1000,10000,100000}
runs=${2:-200}
batch_runs=${3:-3}
recourse=$PWD/build/recourse
measure=$PWD/build/bench/measure
scale=$PWD/build/bench/org_scale
[ -x "$recourse" ] && [ -x "$measure" ] && [ -x "$scale" ] || bash scripts/build.sh >/dev/null
work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/recourse-org-XXXXXX")
if [ "$(id -u)" -eq 0 ]; then chown -h postgres: "$work"; fi
stop() {
  bash scripts/pg_cluster.sh stop "$work/cluster" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop EXIT
url=$(PG_CLUSTER_DURABLE=1 bash scripts/pg_cluster.sh start "$work/cluster")
mkdir -p "$work/run"

field() { sed -n "s/.*[ ^]$1=\([0-9.]*\).*/\1/p"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "| clients | incidents | requests | load into a vault (rows/s) | move into PostgreSQL | deadlines p50 / p99 / slowest (ms) | caseload p50 / p99 (ms) | case page p50 / p99 (ms) | deadlines, first look (ms) | deadlines after 5 changes p50 / p99 (ms) | this side's CPU per deadlines view (ms) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
"$scale" "$url" "$work/run/vault.db" "$steps" "$runs" | while read -r line; do
  f() { echo " $line" | field "$1"; }
  echo "| $(f clients) | $(f incidents) | $(f requests) | $(f load_rows_per_s) |" \
    "$(f copy_s) s ($(f copy_rows_per_s) rows/s) |" \
    "$(f deadlines_p50_ms) / $(f deadlines_p99_ms) / $(f deadlines_max_ms) |" \
    "$(f caseload_p50_ms) / $(f caseload_p99_ms) |" \
    "$(f case_p50_ms) / $(f case_p99_ms) | $(f first_deadlines_ms) |" \
    "$(f changed_p50_ms) / $(f changed_p99_ms) | $(f deadlines_cpu_p50_ms) |"
  echo "$line" >&2  # every figure, for the record
done

# The batch: the same 10,000 rows (new clients each run) into each engine.
source bench/batch_csv.sh
export RECOURSE_PASSPHRASE="benchmark owner passphrase, not a real one"  # org_scale's owner
declare -A secs
for engine in SQLite PostgreSQL; do
  times=()
  for run in $(seq "$batch_runs"); do
    make_csv 10000 "R$run-" >"$work/run/rows.csv"
    rm -rf "$work/run/data" "$work/run/out"
    if [ "$engine" = SQLite ]; then
      "$recourse" init --data-dir "$work/run/data" --kdf interactive >/dev/null 2>&1
      db=()
    else
      db=(--database "$url" --user owner)
    fi
    line=$("$measure" "$recourse" "${db[@]}" request batch --data-dir "$work/run/data" \
      --csv "$work/run/rows.csv" --out "$work/run/out" 2>&1 >/dev/null | tail -1)
    test "$(($(wc -l <"$work/run/out/tracking.csv") - 1))" -eq 10000
    times+=("$(echo " $line" | field seconds)")
  done
  secs[$engine]=$(printf '%s\n' "${times[@]}" | median)
done
echo
echo "| 10,000-row batch, end to end | SQLite (new vault) | PostgreSQL (the loaded database) | ratio |"
echo "|---|---|---|---|"
echo "| seconds (median of $batch_runs) | ${secs[SQLite]} | ${secs[PostgreSQL]} |" \
  "$(awk -v a="${secs[PostgreSQL]}" -v b="${secs[SQLite]}" 'BEGIN {printf "%.2f", a / b}') |"
