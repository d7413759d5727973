#!/usr/bin/env bash
# Run the whole test suite: lint, types, import rules, then pytest twice
# (once with Qt unimportable for the Qt-free packages, once in full under a
# virtual screen with a real keyring). Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")"

bash scripts/bootstrap.sh test
venv=.venv/bin

echo "== ruff"
"$venv/ruff" check .
"$venv/ruff" format --check .
echo "== mypy (strict)"
"$venv/mypy"
echo "== import rules"
"$venv/lint-imports"

echo "== Qt-free packages without Qt"
# pytest-qt would import PySide6 on start: leave the plugin (and its option) out.
HAIOPS_BLOCK_QT=1 "$venv/python" -m pytest -p no:pytest-qt \
  -o addopts="-ra --strict-markers" -q tests/storage tests/sync tests/viewers/imaging \
  tests/app/quality

echo "== full suite"
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
dbus-run-session -- bash scripts/in_test_session.sh "$venv/python" -m pytest -q "$@"
