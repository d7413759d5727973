#!/usr/bin/env bash
# Refresh the Japanese translation source from the code, then build the .qm file.
# Usage: scripts/update_translations.sh            (then translate what is unfinished)
#        scripts/update_translations.sh --ts FILE  (only write the current messages
#                                                   to FILE; the tests use it)
set -euo pipefail
cd "$(dirname "$0")/.."

bin=.venv/bin
[ -x "$bin/pyside6-lupdate" ] || bin=$(dirname "$(command -v pyside6-lupdate)")
python=$bin/python
[ -x "$python" ] || python=python3
ts=resources/translations/haiops_ja.ts
qm=resources/translations/haiops_ja.qm
build_qm=1
if [ "${1:-}" = --ts ]; then
  ts=$2
  build_qm=0
fi
sources=(app widgets viewers storage sync)

# pyside6-lupdate sees tr(), translate("Context", ...) and QT_TRANSLATE_NOOP with a
# literal context. Modules that call a helper such as
#   def _tr(text): return QCoreApplication.translate("SliceView", text)
# or mark strings with QT_TRANSLATE_NOOP(_CONTEXT, ...) are read here instead and
# handed to lupdate as a generated list, so their strings are translated too.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" - "$work/hidden_strings.py" "${sources[@]}" <<'PY'
import ast
import json
import sys
from pathlib import Path


def text_of(node, names):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return names.get(node.id)
    return None


def helpers_of(tree, names):
    # Module functions whose first parameter goes to translate(context, ...).
    found = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or not node.args.args:
            continue
        parameter = node.args.args[0].arg
        for call in ast.walk(node):
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "translate"
                and len(call.args) >= 2
                and isinstance(call.args[1], ast.Name)
                and call.args[1].id == parameter
            ):
                context = text_of(call.args[0], names)
                if context:
                    found[node.name] = context
    return found


out = Path(sys.argv[1])
messages = {}
for root in sys.argv[2:]:
    for path in sorted(Path(root).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        names = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        helpers = helpers_of(tree, names)
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name):
                continue
            name = call.func.id
            if name in helpers and call.args:
                text = text_of(call.args[0], {})
                if text:
                    messages[(helpers[name], text)] = None
            elif name == "QT_TRANSLATE_NOOP" and len(call.args) == 2:
                if isinstance(call.args[0], ast.Name):
                    context = text_of(call.args[0], names)
                    text = text_of(call.args[1], {})
                    if context and text:
                        messages[(context, text)] = None

lines = ["# Generated for pyside6-lupdate by scripts/update_translations.sh."]
for context, text in messages:
    lines.append(
        f"QT_TRANSLATE_NOOP({json.dumps(context)}, "
        f"{json.dumps(text, ensure_ascii=False)})"
    )
out.write_text("\n".join(lines) + "\n", encoding="utf-8")
PY

# Locations are left out so that moving code does not churn the translation file.
"$bin/pyside6-lupdate" -extensions py -locations none -no-obsolete -silent \
  -target-language ja_JP "${sources[@]}" "$work/hidden_strings.py" -ts "$ts"
if [ "$build_qm" = 1 ]; then
  "$bin/pyside6-lrelease" -silent "$ts" -qm "$qm"
  unfinished=$(grep -c 'type="unfinished"' "$ts" || true)
  echo "$ts: $unfinished messages still to translate"
fi
