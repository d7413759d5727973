#!/usr/bin/env bash
# Refresh the Japanese translation source from the code, then build the .qm file.
# Usage: scripts/update_translations.sh   (then translate what lupdate marked unfinished)
set -euo pipefail
cd "$(dirname "$0")/.."

bin=.venv/bin
[ -x "$bin/pyside6-lupdate" ] || bin=$(dirname "$(command -v pyside6-lupdate)")
ts=resources/translations/haiops_ja.ts
qm=resources/translations/haiops_ja.qm

# Locations are left out so that moving code does not churn the translation file.
"$bin/pyside6-lupdate" -extensions py -locations none -no-obsolete \
  -target-language ja_JP app widgets viewers storage sync -ts "$ts"
"$bin/pyside6-lrelease" -silent "$ts" -qm "$qm"

unfinished=$(grep -c 'type="unfinished"' "$ts" || true)
echo "$ts: $unfinished messages still to translate"
