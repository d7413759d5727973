"""People and tools the storage tests share (imported by conftest and tests)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from storage.project import Project

ADMIN = ("ada", "Ada Admin", "ada's long password 1")
ANNOTATOR = ("ann", "Ann Notator", "ann's long password 2")
REVIEWER = ("rev", "Rita Reviewer", "rita's long password 3")
LEAD = ("lee", "Lee Lead", "lee's long password 4")

# Opens the team project as one of the people above.
Opener = Callable[[tuple[str, str, str]], Project]


def raw_connection(folder: Path, key: bytes) -> Any:
    """A second sqlcipher3 connection holding the key, as a tamperer would."""
    import sqlcipher3

    connection = sqlcipher3.connect(str(folder / "project.db"), isolation_level=None)
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return connection
