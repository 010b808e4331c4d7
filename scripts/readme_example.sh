#!/usr/bin/env bash
# Re-runs the README's command-line example in a scratch folder and prints it as a console
# transcript, so the example output in README.md is real output of the current build.
# Usage: bash scripts/readme_example.sh   (needs a build: bash scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$PWD/build/recourse
[ -x "$bin" ] || { echo "build first: bash scripts/build.sh" >&2; exit 1; }
# KEEP=DIR keeps the scratch folder (the vault and the PDFs) in DIR to look at afterwards.
if [ -n "${KEEP:-}" ]; then
  work=$KEEP
  rm -rf "$work" && mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
repo=$PWD
cd "$work"
export RECOURSE_PASSPHRASE='correct horse battery staple'
# A small real PNG for the evidence step (a 1x1 pixel).
printf 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==' |
  base64 -d > screenshot.png

# show CMD...: prints "$ recourse CMD" and the command's output (stdout and stderr).
show() {
  local a line='$ recourse'
  for a in "$@"; do
    if [[ $a =~ ^[A-Za-z0-9_./=:-]+$ ]]; then line+=" $a"; else line+=" \"$a\""; fi
  done
  echo "$line"
  "$bin" "$@" 2>&1 || echo "# exit code $?"
}

show --data-dir demo init
out=$(show --data-dir demo client add --name "Zoë Müller" --address "12 Elm St, Oakland, CA 94601" \
  --date-of-birth 1988-04-12); echo "$out"
client=$(echo "$out" | grep -o 'cl_[a-z0-9]*' | head -1)
out=$(show --data-dir demo case add --client "$client" --provider-name "Dr. Ana Pérez" \
  --license-type LMFT --license-number 12345 --jurisdiction us-ca --treatment-start 2023-09-01 \
  --provider-address "400 Main St, Suite 2, Oakland, CA 94607"); echo "$out"
kase=$(echo "$out" | grep -o 'cs_[a-z0-9]*' | head -1)
show --data-dir demo incident add --case "$kase" --summary "Ended therapy by text, no referral" \
  --date 2024-04-02 --channel text --harm abandonment
show --data-dir demo incident add --case "$kase" --summary "Told my partner what I said in session" \
  --when "spring 2024"
show --data-dir demo case show "$kase"
show --data-dir demo evidence add --case "$kase" screenshot.png --describe "Text ending therapy"
out=$(show --data-dir demo request add --case "$kase"); echo "$out"
request=$(echo "$out" | grep -o 'rq_[a-z0-9]*' | head -1)
show --data-dir demo request send "$request" --on 2026-11-02 --via mail
show --data-dir demo request show "$request"
show --data-dir demo request letter "$request" --form records-followup --out "records-followup-$request.pdf"
echo "\$ recourse --data-dir demo complaint review --case $kase --set summary=\"She ended therapy by text.\" | tail -2"
"$bin" --data-dir demo complaint review --case "$kase" --set summary="She ended therapy by text." 2>&1 | tail -2
show --data-dir demo complaint packet --case "$kase" --out complaint.pdf
show --data-dir demo client add --name ""
show deadline --jurisdiction us-wa --from 2026-12-18
show --data-dir demo deadlines
cp "$repo/examples/records-requests.csv" clients.csv
show --data-dir demo request batch --csv clients.csv --out mailing
echo '$ head -3 mailing/tracking.csv'
head -3 mailing/tracking.csv
echo "\$ export RECOURSE_NEW_PASSPHRASE='jo picks this one'   # or --new-passphrase-file, or type it twice"
export RECOURSE_NEW_PASSPHRASE='jo picks this one'
show --data-dir demo user add jo --role advocate
show --data-dir demo --user owner grant --client "$client" --to jo
echo "\$ RECOURSE_PASSPHRASE='jo picks this one' recourse --data-dir demo --user jo client list"
RECOURSE_PASSPHRASE='jo picks this one' "$bin" --data-dir demo --user jo client list 2>&1
echo "\$ recourse --data-dir demo --user owner audit --client $client | tail -4"
"$bin" --data-dir demo --user owner audit --client "$client" 2>&1 | tail -4
