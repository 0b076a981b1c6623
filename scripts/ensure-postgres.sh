#!/usr/bin/env bash
# Make sure a throwaway PostgreSQL server runs on 127.0.0.1 for the tests, and print its URL.
# Idempotent: installs Debian's postgresql when missing, creates the data folder once, starts
# the server when it is not running, and reuses it when it is. Everything else goes to stderr.
#   BACKSPASM_PG_DIR  where the data folder, socket and log live (default /tmp/backspasm-postgres)
set -euo pipefail
dir=${BACKSPASM_PG_DIR:-/tmp/backspasm-postgres}
say() { echo "ensure-postgres: $*" >&2; }

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  say "installing Debian's postgresql"
  if [ "$(id -u)" -ne 0 ]; then say "need root to apt-get install postgresql"; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q postgresql >&2 || { apt-get update -q >&2 && apt-get install -y -q postgresql >&2; }
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

# The server refuses to run as root: run it as `postgres` (or as ourselves when not root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

mkdir -p "$dir"
[ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
if [ ! -f "$dir/data/PG_VERSION" ]; then
  say "initdb in $dir/data"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >&2
fi

if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  say "starting on 127.0.0.1:$port"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on" >&2
fi
port=$(sed -n 4p "$dir/data/postmaster.pid")
echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
