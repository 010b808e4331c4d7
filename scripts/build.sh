#!/usr/bin/env bash
# Configures and builds Recourse. Usage: scripts/build.sh [--sanitize]
#   (default)   build/       optimised with debug info; the binary is build/recourse
#   --sanitize  build-asan/  AddressSanitizer + UndefinedBehaviorSanitizer, for the tests
set -euo pipefail
cd "$(dirname "$0")/.."

dir=build
flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan
  flags=(-DCMAKE_BUILD_TYPE=Debug -DRECOURSE_SANITIZE=ON)
fi

cmake -S . -B "$dir" "${flags[@]}" >/dev/null
cmake --build "$dir" --parallel "$(nproc)"
