"""Every source string has a finished Japanese translation, and the .qm is current."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "translations" / "haiops_ja.ts"
QM = ROOT / "resources" / "translations" / "haiops_ja.qm"
SCRIPT = ROOT / "scripts" / "update_translations.sh"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} not found; it comes with the PySide6 wheel")
    return found


def _messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    messages = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            messages[(name, message.findtext("source") or "")] = translation
    return messages


@pytest.fixture(scope="module")
def current_sources(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    # The script finds what lupdate sees and what hides behind _tr() helpers.
    out = tmp_path_factory.mktemp("lupdate") / "current.ts"
    _tool("pyside6-lupdate")
    subprocess.run(
        ["bash", str(SCRIPT), "--ts", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return set(_messages(out))


def test_every_source_string_is_translated(
    current_sources: set[tuple[str, str]],
) -> None:
    shipped = _messages(TS)
    untranslated = sorted(
        key
        for key in current_sources
        if key not in shipped
        or not (shipped[key].text or "").strip()
        or shipped[key].get("type") in ("unfinished", "obsolete", "vanished")
    )
    listing = "\n".join(f"  [{context}] {source!r}" for context, source in untranslated)
    assert not untranslated, (
        f"{len(untranslated)} strings lack a finished Japanese translation; run "
        f"scripts/update_translations.sh and translate them:\n{listing}"
    )


def test_translations_keep_their_placeholders() -> None:
    wrong = [
        (context, source)
        for (context, source), translation in _messages(TS).items()
        if translation.text
        and sorted(PLACEHOLDER.findall(source))
        != sorted(PLACEHOLDER.findall(translation.text))
    ]
    assert wrong == []


def test_qm_is_built_from_the_current_ts(tmp_path: Path) -> None:
    rebuilt = tmp_path / "haiops_ja.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), "-silent", str(TS), "-qm", str(rebuilt)],
        check=True,
        capture_output=True,
    )
    assert QM.read_bytes() == rebuilt.read_bytes(), (
        "haiops_ja.qm is older than haiops_ja.ts: run scripts/update_translations.sh"
    )
