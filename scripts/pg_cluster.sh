#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests and benchmarks of the organization store:
#   bash scripts/pg_cluster.sh start DIR   makes a new cluster in DIR (which must not
#                                          exist), starts it on 127.0.0.1 and a free port,
#                                          makes the database "recourse" and prints its URL
#                                          (also written to DIR/url)
#   bash scripts/pg_cluster.sh stop DIR    stops it and removes DIR
# With PG_CLUSTER_DURABLE=1 the server syncs every commit to disk as a real one does (the
# benchmarks); otherwise it does not (the tests: faster, and nothing there needs to last).
# With PG_CLUSTER_TLS=1 it also accepts TLS connections, with a certificate of its own made
# here (self-signed, openssl) for the test that connects with sslmode=require; plain ones
# stay possible.
# Debian's initdb and pg_ctl (package postgresql-15, scripts/setup.sh). The server listens
# on loopback only and lives only as long as the tests; its one user has a random password
# (in the URL, which is kept in DIR, mode 0700), so other users of this machine cannot use
# it. Run as root, the server runs as the "postgres" user that Debian's package makes
# (PostgreSQL refuses to run as root).
set -euo pipefail

command=${1:-}
dir=${2:-}
if [ -z "$command" ] || [ -z "$dir" ]; then
  echo "usage: pg_cluster.sh start|stop DIR" >&2
  exit 2
fi

bin=""
for v in 17 16 15; do
  if [ -x "/usr/lib/postgresql/$v/bin/pg_ctl" ]; then
    bin="/usr/lib/postgresql/$v/bin"
    break
  fi
done
if [ -z "$bin" ]; then
  echo "pg_cluster: PostgreSQL's server is not installed (bash scripts/setup.sh installs it)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$command" in
  start)
    # A new directory (mkdir refuses one that exists, a symbolic link included), private.
    if ! mkdir -m 700 "$dir" 2>/dev/null; then
      echo "pg_cluster: cannot make $dir (it must not exist yet)" >&2
      exit 1
    fi
    dir=$(cd "$dir" && pwd)
    if [ "$(id -u)" -eq 0 ]; then chown -h postgres: "$dir"; fi
    password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    (umask 077 && echo "$password" >"$dir/pwfile")
    if [ "$(id -u)" -eq 0 ]; then chown -h postgres: "$dir/pwfile"; fi
    # Password (SCRAM) over TCP; the socket, in this private directory, for its owner.
    as_owner "$bin/initdb" -D "$dir/data" -U recourse --pwfile="$dir/pwfile" \
      --auth-host=scram-sha-256 --auth-local=peer -E UTF8 --locale=C.UTF-8 \
      --no-sync >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2
      exit 1
    }
    rm -f "$dir/pwfile"
    {
      echo "listen_addresses = '127.0.0.1'"
      echo "unix_socket_directories = '$dir'"
      # The tests need no durability; a benchmark asks for it (PG_CLUSTER_DURABLE=1), so that
      # it compares engines that both keep what they commit.
      if [ "${PG_CLUSTER_DURABLE:-}" != 1 ]; then
        echo "fsync = off"
        echo "synchronous_commit = off"
        echo "full_page_writes = off"
      fi
      echo "max_connections = 200"
      echo "shared_buffers = 128MB"
      echo "log_min_messages = warning"
      echo "log_statement = 'none'"
      if [ "${PG_CLUSTER_TLS:-}" = 1 ]; then echo "ssl = on"; fi
    } | as_owner tee -a "$dir/data/postgresql.conf" >/dev/null
    if [ "${PG_CLUSTER_TLS:-}" = 1 ]; then
      # server.crt and server.key in the data directory, where the server looks for them;
      # the key readable by the server's user only (it refuses one others can read).
      as_owner openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
        -keyout "$dir/data/server.key" -out "$dir/data/server.crt" >"$dir/openssl.log" 2>&1 || {
        cat "$dir/openssl.log" >&2
        exit 1
      }
      as_owner chmod 600 "$dir/data/server.key"
    fi
    # A free port: one nothing answers on; should another program take it first, the start
    # fails and another port is tried.
    started=""
    for _ in 1 2 3 4 5 6 7 8; do
      port=$((20000 + RANDOM % 40000))
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
      if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "-p $port" -w -t 60 \
        start >/dev/null; then
        started=yes
        break
      fi
    done
    if [ -z "$started" ]; then
      cat "$dir/server.log" >&2
      exit 1
    fi
    PGPASSWORD="$password" "$bin/createdb" -h 127.0.0.1 -p "$port" -U recourse recourse
    url="postgresql://recourse:$password@127.0.0.1:$port/recourse"
    (umask 077 && echo "$url" >"$dir/url")
    echo "$url"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg_cluster.sh start|stop DIR" >&2
    exit 2
    ;;
esac
