#!/usr/bin/env bash
# Start a scratch PostgreSQL server for the store tests and print its SQLAlchemy URL.
# Installs Debian's postgresql when missing. The server lives in a temporary directory,
# listens on loopback only, and is stopped and removed by `.ci/postgres.sh stop DIR`.
set -euo pipefail

if [[ "${1:-}" == "stop" ]]; then
    dir="$2"
    run_as() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
    run_as "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -m fast stop >/dev/null
    # The cluster is scratch: leaving it would fill /tmp by ~40 MB a run.
    rm -rf "$dir"
    exit 0
fi

if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    echo "installing postgresql from Debian's packages" >&2
    apt-get install -y -q postgresql >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null; }
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir=$(mktemp -d /tmp/incidex-pg.XXXXXX)
echo "$bin" > "$dir/bin"
port=${INCIDEX_PG_PORT:-}
if [[ -z "$port" ]]; then
    # The first free port from 54329 on: another run may be using the previous one.
    for port in $(seq 54329 54429); do
        (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
    done
fi
if [[ $(id -u) == 0 ]]; then
    # initdb refuses to run as root; the server runs as Debian's postgres user.
    chown -R postgres "$dir"
    run_as() { runuser -u postgres -- "$@"; }
else
    run_as() { "$@"; }
fi
run_as "$bin/initdb" -D "$dir/data" -A trust -U incidex >"$dir/initdb.log" 2>&1
if ! run_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
    echo "PostgreSQL did not start on port $port; its log ($dir/server.log) ends:" >&2
    tail -5 "$dir/server.log" >&2
    exit 1
fi
run_as "$bin/createdb" -h 127.0.0.1 -p "$port" -U incidex incidex_test
echo "$dir postgresql+psycopg://incidex@127.0.0.1:$port/incidex_test"
