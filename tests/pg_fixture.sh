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
    # A private folder of our own (mktemp makes it, mode 0700), the cluster inside it.
    top=$(mktemp -d /tmp/recourse-pg.XXXXXX)
    if [ "$(id -u)" -eq 0 ]; then chown -h postgres: "$top"; fi
    echo "$top" >"$urlfile.dir"
    (umask 077 && bash "$here/scripts/pg_cluster.sh" start "$top/cluster" >"$urlfile")
    ;;
  stop)
    if [ -f "$urlfile.dir" ]; then
      top=$(cat "$urlfile.dir")
      bash "$here/scripts/pg_cluster.sh" stop "$top/cluster"
      rm -rf "$top"
    fi
    rm -f "$urlfile" "$urlfile.dir"
    ;;
  *)
    echo "usage: pg_fixture.sh start|stop URLFILE" >&2
    exit 2
    ;;
esac
