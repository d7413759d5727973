"""The licence list in packaging/ names every runtime dependency with its licence."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_runtime_dependency_has_a_licence_row() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {
        re.split(r"[\[<>=; ]", spec, maxsplit=1)[0].lower()
        for spec in project["dependencies"]
    }
    table = (ROOT / "packaging" / "THIRD_PARTY_LICENSES.md").read_text()
    rows = {
        line.split("|")[1].strip().lower(): line.split("|")[3].strip()
        for line in table.splitlines()
        if line.startswith("| ") and not line.startswith("| distribution")
    }
    assert names - set(rows) == set()
    assert "AFFERO" in rows["pymupdf"].upper()
    assert all(licence for licence in rows.values())


def test_project_licence_is_compatible_with_agpl_and_gpl_dependencies() -> None:
    licence = (ROOT / "LICENSE").read_text()
    assert "GNU GENERAL PUBLIC LICENSE" in licence
    assert "Version 3, 29 June 2007" in licence
    # GPLv3 section 13 allows combining with AGPLv3 works such as PyMuPDF.
    assert "Use with the GNU Affero General Public License." in licence
