#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a local port, for the tests and the benchmarks.
# Usage:
#   scripts/postgres.sh start DIR [PORT]   a new cluster in DIR (anything there is removed first); prints its URL
#   scripts/postgres.sh restart DIR        pg_ctl restart -m fast: every connection is cut, the data stays
#   scripts/postgres.sh pause DIR          stop the server (-m fast), keeping DIR: the database is away
#   scripts/postgres.sh resume DIR         start the paused server again, on its port and with its settings
#   scripts/postgres.sh stop DIR           stop the server and remove DIR
# Installs Debian's postgresql when it is missing and we are root. initdb refuses to run as root,
# so the cluster belongs to the 'postgres' system user (DIR's parent must be open to it, as /tmp is).
#
# FOR THROWAWAY TEST CLUSTERS ONLY: by default the cluster runs with fsync, synchronous_commit and full_page_writes
# off. That is fast, and it loses commits already reported to the client when the server crashes or the machine
# stops. Never serve real data from such a cluster. LINGYI_PG_DURABLE=1 at `start` keeps PostgreSQL's defaults
# (fsync, synchronous_commit and full_page_writes on): the fault tests start their own cluster that way, so that
# what they see reported stored is what a real server would keep.
set -euo pipefail
action=${1:?start, restart, pause, resume or stop}
dir=${2:?cluster directory}
port=${3:-54329}

bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

if [ "$(id -u)" = 0 ]; then
  run() { su postgres -s /bin/sh -c "$*"; }
else
  run() { sh -c "$*"; }
fi

# The settings live in DIR/postgresql.conf (written at start), so a restart or a resume keeps the port and all.
ctl() {
  run "$(bin_dir)/pg_ctl -D '$dir' -l '$dir/server.log' -w $*" >/dev/null
}

case "$action" in
  stop)
    bin=$(bin_dir)
    [ -n "$bin" ] && [ -d "$dir" ] && run "$bin/pg_ctl -D '$dir' -m immediate stop" >/dev/null 2>&1 || true
    rm -rf "$dir"
    exit 0
    ;;
  restart)
    ctl -m fast restart
    exit 0
    ;;
  pause)
    ctl -m fast stop
    exit 0
    ;;
  resume)
    ctl start
    exit 0
    ;;
  start) ;;
  *)
    echo "unknown action: $action (start, restart, pause, resume or stop)" >&2
    exit 2
    ;;
esac

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
fi
# --no-sync: a new, empty cluster need not wait for its template files to reach the disk (the durable one's commits
# still do, with fsync and synchronous_commit on).
run "$bin/initdb --no-sync -D '$dir' -U lingyi --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
{
  echo "# scripts/postgres.sh: a throwaway cluster for tests"
  echo "port = $port"
  echo "unix_socket_directories = '$dir'"
  echo "listen_addresses = '127.0.0.1'"
  echo "max_connections = 200"
  if [ "${LINGYI_PG_DURABLE:-}" != 1 ]; then
    echo "# Fast and unsafe: commits reported to the client are lost in a crash. Tests only."
    echo "fsync = off"
    echo "synchronous_commit = off"
    echo "full_page_writes = off"
  fi
} | run "cat >> '$dir/postgresql.conf'"
ctl start
run "$bin/createdb -h 127.0.0.1 -p $port -U lingyi lingyi_test"
echo "postgresql+psycopg://lingyi@127.0.0.1:$port/lingyi_test"
