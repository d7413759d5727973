"""Write packaging/THIRD_PARTY_LICENSES.md from installed distributions' metadata."""

from __future__ import annotations

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def direct_dependencies() -> list[str]:
    """Return the names of the runtime dependencies declared in pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = [
        re.split(r"[\[<>=; ]", spec, maxsplit=1)[0] for spec in project["dependencies"]
    ]
    return sorted(names, key=str.lower)


# Distributions whose metadata names no licence, read from their own files.
KNOWN = {"sqlcipher3": "Zlib (bundled SQLCipher: BSD-3-Clause)"}


def licence_of(name: str) -> str:
    """Return the licence a distribution declares (SPDX expression when given)."""
    if name in KNOWN:
        return KNOWN[name]
    meta = metadata.metadata(name)
    expression = meta.get("License-Expression")
    if expression:
        return expression
    classifiers = [
        c.split("::")[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::")
    ]
    if classifiers:
        return "; ".join(classifiers)
    text = (meta.get("License") or "").strip().splitlines()
    return text[0][:80] if text else "see the distribution"


def main() -> int:
    """Write the table and return the exit status."""
    lines = [
        "# Third-party licences",
        "",
        "The runtime dependencies of HAIOps Workstation and the licences they",
        "declare. A build that bundles them (PyInstaller) must ship their licence",
        "texts; PyMuPDF (AGPL-3.0) and pylibjpeg-libjpeg (GPL-3.0) make the",
        "combined work subject to the AGPL-3.0 and GPL-3.0 terms.",
        "",
        "| distribution | version | licence |",
        "|---|---|---|",
    ]
    for name in direct_dependencies():
        version = metadata.version(name)
        lines.append(f"| {name} | {version} | {licence_of(name)} |")
    target = ROOT / "packaging" / "THIRD_PARTY_LICENSES.md"
    target.write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
