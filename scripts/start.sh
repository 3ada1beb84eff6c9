#!/usr/bin/env bash
# One command from a fresh clone to the dashboard on the sample data (SQLite, nothing else to install).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The demo store is its own file, so the sample data never mix with real returns in data/lingyi.db.
export LINGYI_DATABASE_URL="${LINGYI_DATABASE_URL:-sqlite:///$PWD/data/demo.db}"
.venv/bin/python -m lingyi init --sample
exec .venv/bin/python -m streamlit run app.py --server.headless true "$@"
