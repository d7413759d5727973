from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from storage.audit import parse_value
from storage.errors import RecordError
from storage.project import open_project
from storage.records import Revision
from tests.storage.helpers import ADMIN


@pytest.fixture
def project(folder: Path):  # type: ignore[no-untyped-def]
    with open_project(folder, user_id="ada", password=ADMIN[2]) as opened:
        yield opened


def test_create_revise_delete_keeps_every_revision(project) -> None:  # type: ignore[no-untyped-def]
    first = project.records.create("roi", {"label": "nodule", "area_mm2": 12.5})
    second = project.records.revise(first.record_id, {"label": "mass"}, reason="size")
    gone = project.records.delete(first.record_id, reason="duplicate")

    history = project.records.history(first.record_id)
    assert [r.revision_id for r in history] == [
        first.revision_id,
        second.revision_id,
        gone.revision_id,
    ]
    assert second.supersedes == first.revision_id
    assert gone.is_deleted
    assert gone.body == {"label": "mass"}
    assert project.records.head(first.record_id).revision_id == gone.revision_id
    assert project.records.current("roi") == []
    assert first.created_at.endswith("+00:00")
    assert first.author == "ada"


def test_each_write_has_an_audit_entry_with_old_and_new(project) -> None:  # type: ignore[no-untyped-def]
    first = project.records.create("span", {"start": 3, "end": 9})
    project.records.revise(first.record_id, {"start": 3, "end": 11}, reason="word")
    project.records.delete(first.record_id, reason="wrong page")
    entries = project.audit.entries(record_id=first.record_id)
    assert [e.action for e in entries] == [
        "record.create",
        "record.revise",
        "record.delete",
    ]
    assert parse_value(entries[1].old_value) == {"start": 3, "end": 9}
    assert parse_value(entries[1].new_value) == {"start": 3, "end": 11}
    assert entries[1].reason == "word"
    assert parse_value(entries[2].old_value) == {"start": 3, "end": 11}
    assert entries[2].printed_name == "Ada Admin"


def test_unknown_records_and_bad_bodies_are_refused(project) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RecordError):
        project.records.head("no-such-record")
    with pytest.raises(RecordError, match="not plain JSON"):
        project.records.create("roi", {"when": object()})
    first = project.records.create("roi", {"a": 1})
    project.records.delete(first.record_id)
    with pytest.raises(RecordError, match="already deleted"):
        project.records.delete(first.record_id)


def _foreign(base: Revision, body: dict[str, object], revision_id: str) -> Revision:
    return replace(
        base,
        revision_id=revision_id,
        supersedes=base.revision_id,
        author="other",
        workstation_id="ws-2",
        created_at="2030-01-01T00:00:00.000000+00:00",
        body=body,
    )


def test_two_heads_are_a_conflict_until_resolved(project) -> None:  # type: ignore[no-untyped-def]
    first = project.records.create("code", {"llt": "10019211"})
    mine = project.records.revise(first.record_id, {"llt": "10019212"})
    theirs = _foreign(
        first, {"llt": "10000001"}, "f0000000-0000-4000-8000-000000000001"
    )

    assert project.records.add_foreign(theirs) is True
    assert project.records.add_foreign(theirs) is False
    conflicts = project.records.conflicts()
    assert [sorted(r.revision_id for r in group) for group in conflicts] == [
        sorted([mine.revision_id, theirs.revision_id])
    ]
    with pytest.raises(RecordError, match="2 conflicting heads"):
        project.records.revise(first.record_id, {"llt": "x"})

    resolved = project.records.revise(
        first.record_id,
        {"llt": "10019212"},
        supersedes=mine.revision_id,
        resolves=[theirs.revision_id],
        reason="kept the local code",
    )
    assert project.records.conflicts() == []
    assert project.records.heads(first.record_id) == [resolved]
    assert resolved.resolves == (theirs.revision_id,)


def test_current_filters_by_type_and_item(project) -> None:  # type: ignore[no-untyped-def]
    a = project.records.create("roi", {"n": 1}, item_id="item-1")
    project.records.create("roi", {"n": 2}, item_id="item-2")
    project.records.create("span", {"n": 3}, item_id="item-1")
    assert [r.body["n"] for r in project.records.current("roi")] == [1, 2]
    assert project.records.current("roi", item_id="item-1") == [a]
    assert len(project.records.current(item_id="item-1")) == 2


def test_revisions_survive_reopening(folder: Path) -> None:
    with open_project(folder, user_id="ada", password=ADMIN[2]) as project:
        made = project.records.create("roi", {"label": "nodule"})
    with open_project(folder, user_id="ada", password=ADMIN[2]) as project:
        assert project.records.head(made.record_id) == made
