#!/usr/bin/env bash
# One command from a fresh clone to the whole test suite: set-up, format and lint checks, every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
.venv/bin/ruff format --check .
.venv/bin/ruff check .
.venv/bin/python -m pytest -n 2 "$@"
