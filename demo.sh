#!/usr/bin/env bash
# Open the workstation on the bundled demo project (created on first run).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/bootstrap.sh demo
exec .venv/bin/haiops demo "$@"
