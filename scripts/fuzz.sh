#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang under ASan + UBSan in build-fuzz/ and
# runs each for a bounded time from a scratch copy of its seed corpus (tests/fuzz/corpus/),
# so the fuzzer never writes into the repository. Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]
# (default 8: about a minute for the seven targets, one after another in one process each:
# this is a two-core machine and libFuzzer's -jobs would only add log files). With
# FUZZ_RUNS=N a target also stops after N executions, whichever comes first. Prints each
# target's executions; exits non-zero when any target crashes, leaks or hangs, naming the
# input that did it.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-8}"
targets=(jurisdiction form csv json_request http evidence export)

build_start=$SECONDS
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DRECOURSE_FUZZ=ON -DRECOURSE_TESTS=OFF >/dev/null
cmake --build build-fuzz --parallel "$(nproc)" --target "${targets[@]/#/fuzz_}"
echo "fuzz: configured and built in $((SECONDS - build_start)) s"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
failed=()
for t in "${targets[@]}"; do
  # The HTTP target keeps one server (threads, sockets, an in-memory vault) for the whole
  # run and never stops it; LeakSanitizer's check at exit would race those threads, so it
  # is off there. Every other target checks for leaks.
  leaks=1
  [ "$t" = http ] && leaks=0
  mkdir -p "$scratch/$t/corpus" "$scratch/$t/artifacts"
  cp tests/fuzz/corpus/"$t"/* "$scratch/$t/corpus/"
  log="$scratch/$t/log"
  status=0
  kept=""
  started=$SECONDS
  ASAN_OPTIONS="detect_leaks=$leaks:abort_on_error=1" \
    "build-fuzz/fuzz/fuzz_$t" -max_total_time="$seconds" ${FUZZ_RUNS:+-runs="$FUZZ_RUNS"} \
    -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$scratch/$t/artifacts/" \
    "$scratch/$t/corpus" >"$log" 2>&1 || status=$?
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  # One machine-readable line per target, for bench/fuzz.sh's table.
  took=$((SECONDS - started))
  [ "$took" -gt 0 ] || took=1
  echo "result: $t ${execs:-0} $took $([ "$status" -eq 0 ] && echo 0 || echo 1)"
  if [ "$status" -eq 0 ]; then
    echo "fuzz_$t: ${execs:-0} executions in ${took} s, no crash"
  else
    failed+=("$t")
    mkdir -p build-fuzz/fuzz-findings
    for a in "$scratch/$t/artifacts/"*; do
      [ -e "$a" ] && cp "$a" build-fuzz/fuzz-findings/ && kept="build-fuzz/fuzz-findings/$(basename "$a")"
    done
    cp "$log" "build-fuzz/fuzz-findings/fuzz_$t.log"
    echo "fuzz_$t: FAILED after ${execs:-?} executions (exit $status); input: ${kept:-none saved}"
    grep -E "ERROR|SUMMARY|runtime error|_fuzz: |#[0-9]+ 0x" "$log" | head -n 30
  fi
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: crashes in ${failed[*]}"
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, no crash"
