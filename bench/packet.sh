#!/usr/bin/env bash
# Complaint packet benchmark: `recourse complaint packet` for a case with 50 incidents (some
# with approximate dates), 20 image exhibits (PNG and JPEG) and 5 PDF exhibits (1 to 5
# pages), timed end to end (unlock the vault, read the case, open and check every sealed
# exhibit, render, stamp, combine, write) with its peak memory.
# Usage: bash bench/packet.sh [RUNS]   (default 5 runs; prints medians as a Markdown table)
# Needs: a build (bash scripts/build.sh) and poppler-utils (to make the exhibit images).
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
runs=${1:-5}
recourse=$PWD/build/recourse
measure=$PWD/build/bench/measure
[ -x "$recourse" ] && [ -x "$measure" ] || bash scripts/build.sh >/dev/null
base=${BENCH_DIR:-$( [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")}
work=$(mktemp -d "$base/recourse-packet-XXXXXX")
trap 'rm -rf "$work"' EXIT
export RECOURSE_PASSPHRASE="benchmark passphrase, not a real one"
json_id() { sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p' | head -1; }

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

setup() {  # $1 = data dir, $2 = key-derivation cost
  local d=$1
  "$recourse" --data-dir "$d" init --kdf "$2" >/dev/null 2>&1
  local cl cs
  cl=$("$recourse" --data-dir "$d" client add --name "Zoë Müller" --json | json_id)
  cs=$("$recourse" --data-dir "$d" case add --client "$cl" --provider-name "Dr. Ana Pérez" \
        --license-type LMFT --license-number 12345 --jurisdiction us-ca --json | json_id)
  for i in $(seq 1 50); do
    local day=$(( (i * 7) % 28 + 1 )) month=$(( i % 12 + 1 ))
    local args=(--summary "Incident $i: what happened in session $i" \
                --date "$(printf '2024-%02d-%02d' "$month" "$day")" \
                --narrative "In my own words, what happened on this day and how it felt afterwards. $i" \
                --harm abandonment --harm boundary_violation)
    [ $((i % 4)) -eq 0 ] && args+=(--approximate)
    "$recourse" --data-dir "$d" incident add --case "$cs" "${args[@]}" >/dev/null
  done
  for i in $(seq 1 25); do
    # Pages with some text, made by Recourse itself, as exhibit sources (made once).
    [ -f "$work/src$i.pdf" ] || "$recourse" --data-dir "$d" timeline --case "$cs" \
      --pdf "$work/src$i.pdf" >/dev/null
  done
  for i in $(seq 1 20); do
    if [ $((i % 2)) -eq 0 ]; then
      [ -f "$work/shot$i.png" ] || pdftoppm -png -r 60 -singlefile "$work/src$i.pdf" "$work/shot$i"
      "$recourse" --data-dir "$d" evidence add --case "$cs" "$work/shot$i.png" --describe "Screenshot $i" >/dev/null
    else
      [ -f "$work/shot$i.jpg" ] || pdftoppm -jpeg -r 60 -singlefile "$work/src$i.pdf" "$work/shot$i"
      "$recourse" --data-dir "$d" evidence add --case "$cs" "$work/shot$i.jpg" --describe "Photo $i" >/dev/null
    fi
  done
  for i in $(seq 21 25); do
    "$recourse" --data-dir "$d" evidence add --case "$cs" "$work/src$i.pdf" --describe "Bill $i" >/dev/null
  done
  "$recourse" --data-dir "$d" complaint review --case "$cs" \
    --set "summary=She ended therapy by text and shared what I had told her." >/dev/null
  echo "$cs"
}

echo "| vault key derivation | seconds (median of $runs) | peak memory (MiB) | pages |"
echo "|---|---|---|---|"
for kdf in moderate interactive; do
  cs=$(setup "$work/data-$kdf" "$kdf")
  secs=(); mems=()
  for r in $(seq "$runs"); do
    out="$work/packet-$kdf-$r.pdf"
    line=$("$measure" "$recourse" --data-dir "$work/data-$kdf" complaint packet --case "$cs" \
             --out "$out" 2>&1 >/dev/null | tail -1)
    secs+=("$(echo "$line" | field seconds)")
    mems+=("$(echo "$line" | field peak_rss_mb)")
  done
  pages=$(pdfinfo "$out" | sed -n 's/^Pages: *//p')
  echo "| $kdf | $(printf '%s\n' "${secs[@]}" | median) | $(printf '%s\n' "${mems[@]}" | median) | $pages |"
done
