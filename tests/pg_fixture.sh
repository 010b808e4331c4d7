#!/usr/bin/env bash
# ctest's fixture for the "pg." tests (tests/CMakeLists.txt): starts a throwaway PostgreSQL
# server (scripts/pg_cluster.sh) in a new folder under /tmp and writes its URL to URLFILE;
# "stop" stops it and removes the folder.
#   bash tests/pg_fixture.sh start|stop URLFILE
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
command=$1
urlfile=$2
case "$command" in
  start)
    rm -f "$urlfile" "$urlfile.dir"
    dir=$(mktemp -d /tmp/recourse-pg.XXXXXX)
    rmdir "$dir"
    echo "$dir" >"$urlfile.dir"
    bash "$here/scripts/pg_cluster.sh" start "$dir" >"$urlfile"
    ;;
  stop)
    if [ -f "$urlfile.dir" ]; then
      bash "$here/scripts/pg_cluster.sh" stop "$(cat "$urlfile.dir")"
    fi
    rm -f "$urlfile" "$urlfile.dir"
    ;;
  *)
    echo "usage: pg_fixture.sh start|stop URLFILE" >&2
    exit 2
    ;;
esac
