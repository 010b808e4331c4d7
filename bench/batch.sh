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

# N rows, one per client x custodian: nine jurisdictions, names in several scripts, a third
# already sent (their due dates are computed), a quarter limited to dates, a tenth sent to
# a third party; about 1,400 custodians, so many letters share a custodian.
make_csv() {
  awk -v n="$1" 'BEGIN {
    print "client_ref,client_name,date_of_birth,client_address,client_city,client_region," \
          "client_postal_code,jurisdiction,custodian_name,custodian_attention,custodian_address," \
          "custodian_city,custodian_region,custodian_postal_code,custodian_email,scope," \
          "records_from,records_to,include_billing,include_psychotherapy_notes,format,send_to," \
          "third_party_name,third_party_address,sent_on,via"
    split("Zoë Müller|Nguyễn Thị Minh|Sam Lee|María José Núñez|Aoife Ní Bhriain|James Carter|" \
          "Olusegun Adeyemi|Søren Kierkegaard", names, "|")
    split("us-ca|us-tx|us-ny|us-fl|us-il|us-wa|us-ma|us-pa|us-oh", js, "|")
    for (i = 1; i <= n; i++) {
      c = int(i / 7)
      sent = (i % 3 == 0) ? sprintf("2026-11-%02d", (i % 20) + 1) : ""
      dates = (i % 4 == 0)
      tp = (i % 10 == 0)
      printf "LA-%05d,%s %d,1985-0%d-1%d,%d Elm St,Springfield,XX,%05d,%s,Practice %d Counseling," \
             "Records,%d Main St,Springfield,XX,%05d,records%d@example.org,%s,%s,%s,%s,%s,%s,%s," \
             "%s,%s,%s,%s\n",
        i, names[(i % 8) + 1], i, (i % 9) + 1, i % 10, i, 10000 + i, js[(i % 9) + 1], c, c,
        20000 + (c % 500), c, dates ? "dates" : "", dates ? "2023-01-01" : "",
        dates ? "2024-06-30" : "", (i % 2) ? "yes" : "no", (i % 5) ? "no" : "yes",
        (i % 2) ? "electronic" : "paper", tp ? "third_party" : "", tp ? "Legal Aid Office" : "",
        tp ? "\"100 Court St, Suite 4, Springfield\"" : "", sent, sent == "" ? "" : "mail"
    }
  }'
}

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
