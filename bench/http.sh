#!/usr/bin/env bash
# The local web app under load, on loopback only: wrk (Debian's) against `recourse serve`
# with an unlocked vault holding one case (three incidents, a records request).
#   1. GET of a case page's data (/api/v1/cases/{id}/overview: the case, its five tasks'
#      statuses, its board): requests/s and p99 latency.
#   2. Saving a step (PATCH /api/v1/incidents/{id}, a correction of one field, as the
#      browser sends it with its session cookie and CSRF token): requests/s and p99.
#   3. A change and then the case page, alternately: every GET worked out afresh.
#   4. The weight of a page: the HTML, CSS, every script module and the catalog parts it loads.
# Usage: bash bench/http.sh [RUNS] [SECONDS]  (defaults 3 and 10); prints the median.
#
# The load test: bash bench/http.sh --load [SECONDS] [CONNECTIONS]  (defaults 30 and 64):
# CONNECTIONS connections at once for SECONDS, half of them reading a case page and half
# saving a step and reading the page afresh; prints requests/s, p99 and every error (a
# socket error, a timeout or an answer other than 2xx), and fails when there is any.
set -euo pipefail
cd "$(dirname "$0")/.."
load=0
if [ "${1:-}" = "--load" ]; then
  load=1
  shift
  secs=${1:-30}
  conns=${2:-64}
  runs=1
else
  runs=${1:-3}
  secs=${2:-10}
fi
bin=${RECOURSE_BIN:-build/recourse}
[ -x "$bin" ] || bash scripts/build.sh >/dev/null
command -v wrk >/dev/null || { echo "bench: wrk is missing (bash scripts/setup.sh)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/dev/shm}/recourse-http-bench.XXXXXX")
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" --data-dir "$work/data" serve --port 0 --kdf interactive --idle-lock 1440 >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 50); do
  url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$work/serve.log" || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "bench: the server did not start" >&2; cat "$work/serve.log" >&2; exit 1; }
host=${url#http://}
host=${host%/}

jar="$work/cookies"
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
csrf=$(curl -s -c "$jar" -H 'Content-Type: application/json' -d '{"passphrase":"bench passphrase 1"}' \
  "${url}api/v1/vault" | json "['csrf_token']")
post() {  # METHOD PATH BODY
  curl -s -b "$jar" -X "$1" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" -d "$3" "${url}${2#/}"
}
client=$(post POST /api/v1/clients '{"name":"Zoë Müller","address":"12 Elm St, Oakland, CA 94601"}' | json "['id']")
case_id=$(post POST /api/v1/cases "{\"client_id\":\"$client\",\"provider\":{\"name\":\"Dr. Ana Pérez\",\"license_type\":\"LMFT\",\"jurisdiction\":\"us-ca\"}}" | json "['id']")
incident=""
for d in 2024-04-02 2024-03-10 2024-01-15; do
  incident=$(post POST "/api/v1/cases/$case_id/incidents" "{\"summary\":\"Something on $d\",\"date\":\"$d\",\"narrative\":\"In my own words, at some length.\"}" | json "['id']")
done
request=$(post POST "/api/v1/cases/$case_id/requests" '{}' | json "['id']")
post POST "/api/v1/requests/$request/events" '{"type":"sent","on":"2026-11-20","via":"email"}' >/dev/null
cookie=$(awk '$6 == "recourse_session" { print "recourse_session=" $7 }' "$jar")

cat >"$work/save.lua" <<LUA
wrk.method = "PATCH"
wrk.body = '{"impact":"It changed how I sleep."}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-CSRF-Token"] = "$csrf"
wrk.headers["Cookie"] = "$cookie"
LUA

# A change and then the case page, alternately, so every GET is worked out afresh (the
# server keeps a case page's answer only while nothing it shows has changed).
cat >"$work/fresh.lua" <<LUA
local n = 0
local headers = { ["Content-Type"] = "application/json", ["X-CSRF-Token"] = "$csrf", ["Cookie"] = "$cookie" }
request = function()
  n = n + 1
  if n % 2 == 1 then
    return wrk.format("PATCH", "/api/v1/incidents/$incident", headers, '{"impact":"It changed how I sleep, ' .. n .. '."}')
  end
  return wrk.format("GET", "/api/v1/cases/$case_id/overview", headers)
end
LUA

if [ "$load" = 1 ]; then
  # Two wrk processes at once, each with half the connections: case-page reads, and
  # changes each followed by a fresh read. wrk's timeout is 2 s: a request stalled that long
  # counts as an error.
  half=$((conns / 2))
  run_load() {  # OUT PATH [SCRIPT]
    local args=(-t1 -c"$half" -d"${secs}s" --timeout 2s --latency -H "Cookie: $cookie")
    [ -n "${3:-}" ] && args+=(-s "$3")
    wrk "${args[@]}" "${url}${2#/}" >"$1"
  }
  run_load "$work/read.out" "/api/v1/cases/$case_id/overview" &
  reader=$!
  run_load "$work/write.out" "/" "$work/fresh.lua"
  wait "$reader"
  failed=0
  for part in read write; do
    summary=$(awk -v part="$part" '
      /Requests\/sec/ { rps = $2 }
      /^ +99%/ { p99 = $2 }
      / [0-9]+ requests in / { total = $1 }
      /Socket errors/ { gsub(",", ""); errors = $4 + $6 + $8 + $10 }
      /Non-2xx/ { bad = $NF }
      END { printf "%s: %d requests, %.0f requests/s, p99 %s, socket errors %d, answers not 2xx %d\n", part, total, rps, p99, errors, bad; exit (errors + bad > 0) }
    ' "$work/$part.out") || failed=1
    echo "$summary"
  done
  echo "load: $conns connections for ${secs}s on loopback, $(nproc) cores"
  [ "$failed" = 0 ] || { echo "load: there were errors" >&2; exit 1; }
  exit 0
fi

# One wrk run: prints "requests/s p99_ms".
measure() {  # PATH [SCRIPT]
  local args=(-t2 -c8 -d"${secs}s" --latency -H "Cookie: $cookie")
  [ -n "${2:-}" ] && args+=(-s "$2")
  wrk "${args[@]}" "${url}${1#/}" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; p99 = v }
    / [0-9]+ requests in / { total = $1 }
    /Non-2xx/ { bad = $NF }
    END { printf "%.0f %.2f %s\n", rps, p99, bad + 0 }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

get_rps=(); get_p99=(); save_rps=(); save_p99=(); fresh_rps=(); fresh_p99=()
for _ in $(seq "$runs"); do
  read -r r p bad < <(measure "/api/v1/cases/$case_id/overview")
  [ "$bad" = 0 ] || { echo "bench: $bad answers to the GET were not 2xx" >&2; exit 1; }
  get_rps+=("$r"); get_p99+=("$p")
  read -r r p bad < <(measure "/api/v1/incidents/$incident" "$work/save.lua")
  [ "$bad" = 0 ] || { echo "bench: $bad answers to the PATCH were not 2xx" >&2; exit 1; }
  save_rps+=("$r"); save_p99+=("$p")
  read -r r p bad < <(measure "/" "$work/fresh.lua")
  [ "$bad" = 0 ] || { echo "bench: $bad answers to the change-then-read run were not 2xx" >&2; exit 1; }
  fresh_rps+=("$r"); fresh_p99+=("$p")
done

# What one page loads: the HTML, the styles, main.js with what it imports and the catalog's
# parts the shell needs (kShellParts), then the page's own module with what that imports and
# the parts each of those loads (await need(...)); main.js loads page modules on demand.
weights=$(python3 - "$url" <<'PY'
import re, sys, urllib.request
base = sys.argv[1]
def fetch(path):
    return urllib.request.urlopen(base + path.lstrip('/')).read()
def size(path):
    return len(fetch(path))
def graph(module, seen, parts):
    if module in seen:
        return
    seen.add(module)
    text = fetch(module).decode()
    m = re.search(r"^await need\(([^)]*)\);$", text, re.M)
    if m:
        parts.update(re.findall(r"'([a-z_]+)'", m.group(1)))
    folder = module.rsplit('/', 1)[0]
    for m in re.finditer(r"^import\s[^;]*?from '(\./[^']+|\.\./[^']+)';", text, re.M):
        out = []
        for p in (folder + '/' + m.group(1)).split('/'):
            if p == '..':
                out.pop()
            elif p not in ('', '.'):
                out.append(p)
        graph('/' + '/'.join(out), seen, parts)
def catalog(parts):
    return sum(size('/messages/en/%s.json' % p) for p in parts)
main = fetch('/js/main.js').decode()
shell = set(re.findall(r"'([a-z_]+)'", re.search(r"kShellParts = \[([^\]]*)\]", main).group(1)))
core, core_parts = set(), set(shell)
graph('/js/main.js', core, core_parts)
base_bytes = size('/') + size('/app.css') + catalog(core_parts) + sum(size(m) for m in core)
pages = re.findall(r"import\('\./pages/([a-z_]+)\.js'\)", main)
heaviest = ('(core only)', base_bytes)
for page in pages:
    mods, parts = set(core), set(core_parts)
    graph('/js/pages/%s.js' % page, mods, parts)
    total = base_bytes + sum(size(m) for m in mods - core) + catalog(parts - core_parts)
    if total > heaviest[1]:
        heaviest = (page, total)
print(base_bytes, heaviest[0], heaviest[1])
PY
)
read -r core_bytes heaviest_page heaviest_bytes <<<"$weights"

echo "runs: $runs x ${secs}s, wrk -t2 -c8, loopback, $(nproc) cores"
echo "GET case page data:  $(printf '%s\n' "${get_rps[@]}" | median) requests/s, p99 $(printf '%s\n' "${get_p99[@]}" | median) ms   (runs: ${get_rps[*]} req/s)"
echo "save a step (PATCH): $(printf '%s\n' "${save_rps[@]}" | median) requests/s, p99 $(printf '%s\n' "${save_p99[@]}" | median) ms   (runs: ${save_rps[*]} req/s)"
echo "change, then the case page afresh (alternating PATCH and GET): $(printf '%s\n' "${fresh_rps[@]}" | median) requests/s, p99 $(printf '%s\n' "${fresh_p99[@]}" | median) ms   (runs: ${fresh_rps[*]} req/s)"
echo "page weight (HTML + CSS + the catalog parts it loads + scripts): every page loads $core_bytes bytes; the heaviest page ($heaviest_page) $heaviest_bytes bytes"
