#!/usr/bin/env bash
# One command from a fresh clone to the dashboard on the sample data (SQLite, nothing else to install).
# It runs in 演示模式: signed in as a demo analyst, on a store of its own. The real store is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export LINGYI_DEMO=1
export LINGYI_DATABASE_URL="sqlite:///$PWD/data/demo.db"
.venv/bin/python -m lingyi init --sample
exec .venv/bin/python -m streamlit run serve.py --server.headless true "$@"
