"""Helpers of the quality tests: the team's users, signing in, remote revisions."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from storage.project import Project, open_project
from storage.records import Revision

LEAD = ("lee", "Lee Lead", "lee's long password 4")
ANN = ("ann", "Ann Notator", "ann's long password 1")
BOB = ("bob", "Bob Coder", "bob's long password 2")
CYD = ("cyd", "Cyd Judge", "cyd's long password 3")


def signed_in(folder: Path, who: tuple[str, str, str]) -> Project:
    """Open the project as ``who``; the caller closes it (use ``with``)."""
    return open_project(folder, user_id=who[0], password=who[2])


def foreign(
    project: Project,
    record_type: str,
    body: Mapping[str, Any],
    *,
    author: str,
    created_at: str,
    item_id: str | None = None,
    record_id: str | None = None,
    supersedes: str | None = None,
) -> Revision:
    """Store a revision made on another workstation at a known time (as sync does)."""
    new_id = record_id or str(uuid.uuid4())
    revision = Revision(
        revision_id=str(uuid.uuid4()),
        record_id=new_id,
        record_type=record_type,
        item_id=new_id if record_type == "item" else item_id,
        supersedes=supersedes,
        author=author,
        workstation_id="ws-remote",
        created_at=created_at,
        reason=None,
        is_deleted=False,
        body=dict(body),
    )
    assert project.records.add_foreign(revision)
    return revision


def run_cli(argv: list[str]) -> int:
    """Run ``haiops`` with only the quality commands, as app.cli.main does."""
    import argparse

    from app import cli_quality

    parser = argparse.ArgumentParser(prog="haiops")
    cli_quality.register(parser.add_subparsers(dest="command"))
    arguments = parser.parse_args(argv)
    return int(arguments.handler(arguments))
