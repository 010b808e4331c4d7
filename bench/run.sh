#!/usr/bin/env bash
# Letters benchmark: Recourse's PDF engine against LibreOffice converting the same letters.
# Usage: bash bench/run.sh [RUNS]   (default 3 runs; prints medians as a Markdown table)
#        BENCH_DIR=/path bash bench/run.sh   to write the letters somewhere else (e.g. disk)
# Needs: a build (bash scripts/build.sh) and, for the peer, libreoffice-writer-nogui.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
bench=./build/bench/letters_bench
[ -x "$bench" ] || bash scripts/build.sh >/dev/null
# Output goes to RAM-backed storage when there is some, so the figures measure the engine
# (and LibreOffice) rather than this machine's file creation; BENCH_DIR overrides.
base=${BENCH_DIR:-$( [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")}
work=$(mktemp -d "$base/recourse-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

declare -A rate rss
cores=$(nproc)
# Every letter embeds its font (there is no built-in-font path any more).
configs=("100 1" "100 $cores" "10000 1" "10000 $cores")
for cfg in "${configs[@]}"; do
  set -- $cfg
  rates=(); mems=()
  for _ in $(seq "$runs"); do
    rm -rf "$work/out"; mkdir -p "$work/out"
    line=$("$bench" "$1" "$2" "$work/out" ${3:-})
    rates+=("$(echo "$line" | field letters_per_s)")
    mems+=("$(echo "$line" | field peak_rss_mb)")
  done
  rate["$cfg"]=$(printf '%s\n' "${rates[@]}" | median)
  rss["$cfg"]=$(printf '%s\n' "${mems[@]}" | median)
done

lo_rate=""
if command -v soffice >/dev/null 2>&1; then
  lo_runs=()
  for _ in $(seq "$runs"); do
    rm -rf "$work/html" "$work/lo" "$work/out"; mkdir -p "$work/html" "$work/lo" "$work/out"
    "$bench" 100 1 "$work/out" --write-html "$work/html" >/dev/null
    start=$(date +%s.%N)
    soffice --headless --norestore -env:UserInstallation=file://"$work"/profile \
      --convert-to pdf --outdir "$work/lo" "$work"/html/*.html >/dev/null 2>&1
    end=$(date +%s.%N)
    n=$(ls "$work"/lo/*.pdf | wc -l)
    lo_runs+=("$(echo "$n / ($end - $start)" | bc -l)")
  done
  lo_rate=$(printf '%s\n' "${lo_runs[@]}" | median)
fi

echo "| letters | threads | font | letters/s (median of $runs) | peak memory (MiB) |"
echo "|---|---|---|---|---|"
for cfg in "${configs[@]}"; do
  set -- $cfg
  font="embedded (every letter)"
  echo "| $1 | $2 | $font | ${rate[$cfg]} | ${rss[$cfg]} |"
done
if [ -n "$lo_rate" ]; then
  printf '\nLibreOffice (soffice --headless --convert-to pdf, 100 letters in one batch): %.1f letters/s (median of %s)\n' "$lo_rate" "$runs"
  printf 'Ratio, Recourse with the embedded font on all cores (10000 letters) / LibreOffice: %.1fx\n' "$(echo "${rate[10000 $cores]} / $lo_rate" | bc -l)"
fi
