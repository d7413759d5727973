"""Helpers of the workflow tests: the team's users and signing in."""

from __future__ import annotations

from pathlib import Path

from storage.project import Project, open_project

LEAD = ("lee", "Lee Lead", "lee's long password 4")
ANN = ("ann", "Ann Notator", "ann's long password 1")
BOB = ("bob", "Bob Reader", "bob's long password 2")
REV = ("rev", "Rita Reviewer", "rev's long password 3")


def signed_in(folder: Path, who: tuple[str, str, str]) -> Project:
    """Open the project as ``who``; the caller closes it (use ``with``)."""
    return open_project(folder, user_id=who[0], password=who[2])
