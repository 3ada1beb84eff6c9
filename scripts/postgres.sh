#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on a local port and prints its SQLAlchemy URL.
# Usage: scripts/postgres.sh start DIR [PORT] | scripts/postgres.sh stop DIR
# Installs Debian's postgresql when it is missing and we are root. initdb refuses to run as root,
# so the cluster belongs to the 'postgres' system user.
# FOR TESTS ONLY: the cluster runs with fsync, synchronous_commit and full_page_writes off, which is fast and loses
# committed work in a crash or a restart. Never serve real data from it; a test of faults that restarts the server
# sets LINGYI_PG_DURABLE=1 to start a cluster that keeps every commit.
set -euo pipefail
action=${1:?start or stop}
dir=${2:?cluster directory}
port=${3:-54329}

bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

if [ "$action" = stop ]; then
  bin=$(bin_dir)
  [ -n "$bin" ] && [ -d "$dir" ] && su postgres -s /bin/sh -c "$bin/pg_ctl -D '$dir' -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit 0
fi

if [ -z "$(bin_dir)" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "安装 PostgreSQL (installing postgresql) …" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL is not installed and cannot be installed here" >&2
    exit 1
  fi
fi
bin=$(bin_dir)
rm -rf "$dir"
mkdir -p "$dir"
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  run() { su postgres -s /bin/sh -c "$*"; }
else
  run() { sh -c "$*"; }
fi
run "$bin/initdb -D '$dir' -U lingyi --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
if [ "${LINGYI_PG_DURABLE:-}" = 1 ]; then
  speed=""
else
  speed="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi
run "$bin/pg_ctl -D '$dir' -l '$dir/server.log' -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 $speed -c max_connections=200\" -w start" >/dev/null
run "$bin/createdb -h 127.0.0.1 -p $port -U lingyi lingyi_test"
echo "postgresql+psycopg://lingyi@127.0.0.1:$port/lingyi_test"
