#!/usr/bin/env bash
# Batch benchmark: `recourse request batch` end to end (read and check the CSV, unlock the
# vault, store every request, render every letter, write the per-request PDFs, the combined
# PDF and the tracking CSV) on a generated legal-aid spreadsheet.
# Usage: bash bench/batch.sh [RUNS]   (default 3 runs; prints medians as a Markdown table)
#        BENCH_DIR=/path bash bench/batch.sh   to write somewhere else (e.g. disk)
# Needs: a build (bash scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
recourse=$PWD/build/recourse
measure=$PWD/build/bench/measure
[ -x "$recourse" ] && [ -x "$measure" ] || bash scripts/build.sh >/dev/null
base=${BENCH_DIR:-$( [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")}
work=$(mktemp -d "$base/recourse-batch-XXXXXX")
trap 'rm -rf "$work"' EXIT
export RECOURSE_PASSPHRASE="benchmark passphrase, not a real one"

source bench/batch_csv.sh  # make_csv N [REF_PREFIX]

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

echo "| rows | vault key derivation | seconds (median of $runs) | rows/s | peak memory (MiB) |"
echo "|---|---|---|---|---|"
for kdf in moderate interactive; do
  for rows in 100 1000 10000; do
    make_csv "$rows" > "$work/rows.csv"
    secs=(); mems=()
    for _ in $(seq "$runs"); do
      rm -rf "$work/data" "$work/out"
      "$recourse" init --data-dir "$work/data" --kdf "$kdf" >/dev/null 2>&1
      line=$("$measure" "$recourse" request batch --data-dir "$work/data" --csv "$work/rows.csv" \
               --out "$work/out" 2>&1 >/dev/null | tail -1)
      test "$(($(wc -l < "$work/out/tracking.csv") - 1))" -eq "$rows"
      secs+=("$(echo "$line" | field seconds)")
      mems+=("$(echo "$line" | field peak_rss_mb)")
    done
    s=$(printf '%s\n' "${secs[@]}" | median)
    m=$(printf '%s\n' "${mems[@]}" | median)
    echo "| $rows | $kdf | $s | $(awk -v r="$rows" -v s="$s" 'BEGIN {printf "%.0f", r / s}') | $m |"
  done
done
