#!/usr/bin/env bash
# The browser tests: the whole journey in Debian's Chromium, driven by playwright-core, with
# axe-core checking every page (tests/e2e). Installs the npm packages from the committed
# lock file, runs the tests against ./build/recourse (or $RECOURSE_BIN), and writes the
# screenshots the user guide shows to docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bin=${RECOURSE_BIN:-$root/build/recourse}
if [ ! -x "$bin" ]; then
  echo "e2e: $bin is not built; run scripts/build.sh first" >&2
  exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "e2e: /usr/bin/chromium is missing; run scripts/setup.sh" >&2
  exit 1
fi
cd tests/e2e
npm ci --no-audit --no-fund --loglevel=error
RECOURSE_BIN=$bin RECOURSE_E2E_OUT=$root/docs/screenshots node --test journey/
