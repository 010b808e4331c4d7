#!/usr/bin/env bash
# Installs what is missing, builds, and starts Recourse on 127.0.0.1 with its default data
# directory (~/.local/share/recourse). Extra arguments go to `recourse serve`, for example
#   bash scripts/start.sh --port 0 --data-dir /path/to/data
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
exec ./build/recourse serve "$@"
