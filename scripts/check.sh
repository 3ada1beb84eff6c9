#!/usr/bin/env bash
# One command from a fresh clone to the whole test suite: set-up, format and lint checks, every test on
# SQLite; then the same tests again on a throwaway PostgreSQL cluster (installed when missing, as root).
# The PostgreSQL pass leaves out the browser tests and the whole-sample runs, which the SQLite pass covers, but
# runs the tests marked postgres (skipped in the SQLite pass): each starts a durable cluster of its own, which it
# restarts or stops under the code, browser tests among them.
# LINGYI_SKIP_POSTGRES=1 skips that pass on a machine that cannot run PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
.venv/bin/ruff format --check .
.venv/bin/ruff check .
.venv/bin/python -m pytest -n 2 "$@"

if [ "${LINGYI_SKIP_POSTGRES:-}" = 1 ]; then
  echo "PostgreSQL pass skipped (LINGYI_SKIP_POSTGRES=1)"
  exit 0
fi
pg_dir="/tmp/lingyi-check-pg-$$"
trap 'scripts/postgres.sh stop "$pg_dir"' EXIT
pg_url=$(scripts/postgres.sh start "$pg_dir" "${LINGYI_PG_PORT:-54329}")
echo "PostgreSQL pass: $pg_url"
LINGYI_DATABASE_URL="$pg_url" .venv/bin/python -m pytest -n 2 -m "(not browser and not slow) or postgres" "$@"
