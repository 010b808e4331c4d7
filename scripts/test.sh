#!/usr/bin/env bash
# Installs what is missing, builds, and runs every check: the formatting check; the unit,
# store, workflow, server and CLI test suites; the browser tests (scripts/e2e.sh);
# clang-tidy (.clang-tidy) on every source file; the data-file checks; the same suites
# again under ASan + UBSan; and every fuzz target (tests/fuzz) for a few seconds, built with
# clang under ASan + UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

echo "== formatting (clang-format) =="
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files '*.cc' '*.h'
else
  find src tests -name '*.cc' -o -name '*.h'
fi | xargs -r clang-format --dry-run --Werror
echo "formatting: clean"

echo "== build and test =="
bash scripts/build.sh
(cd build && ctest --output-on-failure --parallel "$(nproc)")

echo "== browser tests (Chromium, axe-core) =="
bash scripts/e2e.sh

echo "== static analysis (clang-tidy) =="
bash scripts/tidy.sh

echo "== data files =="
./build/recourse jurisdictions check
./build/recourse forms check

echo "== build and test under AddressSanitizer + UndefinedBehaviorSanitizer =="
bash scripts/build.sh --sanitize
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --output-on-failure --parallel "$(nproc)")

echo "== fuzzing (libFuzzer, ASan + UBSan, about a minute) =="
bash scripts/fuzz.sh 8
