#!/usr/bin/env bash
# Sets up everything the project needs in ./.venv. Usage: scripts/setup.sh [--dev]
#   --dev  also the test tools.
# Either way, where missing and run as root: Chromium and CJK fonts (chart pictures in briefings, browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

PYTHON=$(find_python) || { echo "需要 Python 3.11 或更新版本 (Python 3.11+ is required)" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "${1:-}" = "--dev" ]; then
  .venv/bin/python -m pip install --quiet -r requirements-dev.txt
else
  .venv/bin/python -m pip install --quiet -r requirements.txt
fi

# System packages for chart pictures with Chinese text (and the browser tests): installed only where missing.
# No pipe into `grep -q`: under pipefail its early exit makes fc-list die of SIGPIPE (141), and the fonts would
# look missing every time, sending the quick start to apt even when it has nothing to install.
need_system_packages() {
  command -v chromium >/dev/null 2>&1 || return 0
  local fonts
  fonts=$(fc-list 2>/dev/null || true)
  [[ "$fonts" == *"Noto Sans CJK"* ]] || return 0
  return 1
}
if need_system_packages "${1:-}"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "安装 Chromium 与中文字体 (installing chromium and fonts-noto-cjk) …"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "请安装 chromium 与 fonts-noto-cjk（需要 root）；否则无法导出图表图片，浏览器测试也无法运行。" >&2
  fi
fi
