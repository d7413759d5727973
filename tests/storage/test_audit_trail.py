from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

from storage.checkpoints import make_checkpoint, verify_with_checkpoint
from storage.keyfile import KeyFile
from storage.project import open_project
from tests.storage.helpers import ADMIN, raw_connection


def _key(folder: Path) -> bytes:
    return KeyFile.read(folder / "project.key").unwrap("ada", ADMIN[2])


@pytest.fixture
def filled(folder: Path) -> Path:
    """A project whose trail has ten entries, five of them record changes."""
    with open_project(folder, user_id="ada", password=ADMIN[2]) as project:
        roi = project.records.create("roi", {"label": "nodule", "area_mm2": 12.5})
        for area in (13.0, 14.5, 15.0):
            project.records.revise(roi.record_id, {"label": "nodule", "area_mm2": area})
        project.records.delete(roi.record_id, reason="duplicate")
    return folder


def _verify(folder: Path, checkpoint: dict | None = None):  # type: ignore[no-untyped-def,type-arg]
    """Verify as the audit viewer would, without signing in (that adds entries)."""
    from storage.audit import AuditTrail

    connection = raw_connection(folder, _key(folder))
    try:
        return AuditTrail(connection, workstation_id="w", user=None).verify(checkpoint)
    finally:
        connection.close()


def test_a_clean_trail_verifies(filled: Path) -> None:
    result = _verify(filled)
    assert result.is_ok
    assert result.count == 10
    assert len(result.head_hash) == 64


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entries SET reason = 'x' WHERE seq = 3",
        "DELETE FROM audit_entries WHERE seq = 3",
        "INSERT OR REPLACE INTO audit_entries "
        "SELECT * FROM audit_entries WHERE seq = 3",
        "INSERT INTO audit_entries SELECT seq + 20, at, user_id, printed_name, "
        "workstation_id, app_version, action, record_type, record_id, old_value, "
        "new_value, reason, prev_hash, entry_hash FROM audit_entries WHERE seq = 1",
        "UPDATE revisions SET body = '{}'",
        "DELETE FROM revisions",
    ],
)
def test_triggers_refuse_changes(filled: Path, statement: str) -> None:
    connection = raw_connection(filled, _key(filled))
    connection.execute("PRAGMA recursive_triggers = ON")
    with pytest.raises(sqlcipher3.DatabaseError):
        connection.execute(statement)
    connection.close()
    assert _verify(filled).is_ok


def _tamper(folder: Path, *statements: str) -> None:
    connection = raw_connection(folder, _key(folder))
    connection.execute("DROP TRIGGER audit_no_update")
    connection.execute("DROP TRIGGER audit_no_delete")
    connection.execute("DROP TRIGGER audit_gapless")
    for statement in statements:
        connection.execute(statement)
    connection.close()


def test_an_edited_value_is_found(filled: Path) -> None:
    _tamper(
        filled,
        "UPDATE audit_entries SET new_value = "
        '\'{"label":"nodule","area_mm2":99}\' WHERE seq = 7',
    )
    result = _verify(filled)
    assert (result.is_ok, result.first_bad_seq) == (False, 7)
    assert result.problem == "the entry was edited: its content does not match its hash"


def test_a_deleted_row_is_found(filled: Path) -> None:
    _tamper(filled, "DELETE FROM audit_entries WHERE seq = 6")
    result = _verify(filled)
    assert (result.first_bad_seq, result.problem) == (7, "entry 6 is missing (deleted)")


def test_two_swapped_rows_are_found(filled: Path) -> None:
    columns = (
        "at, user_id, printed_name, workstation_id, app_version, action, "
        "record_type, record_id, old_value, new_value, reason, prev_hash, "
        "entry_hash"
    )
    _tamper(
        filled,
        f"CREATE TEMP TABLE keep AS SELECT seq, {columns} FROM audit_entries "
        "WHERE seq IN (5, 6)",
        *[
            f"UPDATE audit_entries SET ({columns}) = (SELECT {columns} FROM keep "
            f"WHERE seq = {other}) WHERE seq = {seq}"
            for seq, other in ((5, 6), (6, 5))
        ],
    )
    result = _verify(filled)
    assert result.first_bad_seq == 5
    assert "stored as 6 is now at 5" in (result.problem or "")
    assert "reordered" in (result.problem or "")


def test_a_cut_tail_is_found_against_a_checkpoint(filled: Path) -> None:
    with open_project(filled, user_id="ada", password=ADMIN[2]) as project:
        checkpoint = make_checkpoint(project)
    count = checkpoint["count"]
    _tamper(filled, f"DELETE FROM audit_entries WHERE seq > {count - 3}")

    assert _verify(filled).is_ok  # a shorter chain is still a chain
    result = _verify(filled, checkpoint)
    assert result.is_ok is False
    assert result.first_bad_seq == count - 2
    assert "cut off at the end" in (result.problem or "")


def test_a_consistently_rewritten_chain_is_caught_by_a_checkpoint(filled: Path) -> None:
    from storage.audit import GENESIS_HASH, AuditEntry

    with open_project(filled, user_id="ada", password=ADMIN[2]) as project:
        checkpoint = make_checkpoint(project)

    # Someone with the key edits entry 2 and recomputes every hash after it.
    connection = raw_connection(filled, _key(filled))
    rows = connection.execute("SELECT * FROM audit_entries ORDER BY seq").fetchall()
    connection.execute("DROP TRIGGER audit_no_update")
    previous = GENESIS_HASH
    for row in rows:
        entry = AuditEntry(*row)
        if entry.seq == 2:
            entry = AuditEntry(**{**entry.__dict__, "printed_name": "Mallory"})
        entry = AuditEntry(**{**entry.__dict__, "prev_hash": previous})
        entry = AuditEntry(**{**entry.__dict__, "entry_hash": entry.computed_hash()})
        connection.execute(
            "UPDATE audit_entries SET printed_name = ?, prev_hash = ?, entry_hash = ? "
            "WHERE seq = ?",
            (entry.printed_name, entry.prev_hash, entry.entry_hash, entry.seq),
        )
        previous = entry.entry_hash
    connection.close()

    assert _verify(filled).is_ok  # consistent on its own
    result = _verify(filled, checkpoint)
    assert result.is_ok is False
    assert result.problem == "the chain differs from the checkpoint (rewritten)"
    with open_project(filled, user_id="ada", password=ADMIN[2]) as project:
        assert verify_with_checkpoint(project, checkpoint).is_ok is False


def test_entries_carry_who_where_and_which_version(filled: Path) -> None:
    with open_project(filled, user_id="ada", password=ADMIN[2]) as project:
        entry = project.audit.entries(action="record.delete")[0]
        assert entry.user_id == "ada"
        assert entry.printed_name == "Ada Admin"
        assert entry.workstation_id == project.workstation_id
        assert entry.app_version
        assert entry.at.endswith("+00:00")
        assert entry.reason == "duplicate"
        assert entry.old_value == '{"area_mm2":15,"label":"nodule"}'  # RFC 8785 numbers


def test_an_inserted_entry_is_found(filled: Path) -> None:
    from storage.audit import AuditEntry

    connection = raw_connection(filled, _key(filled))
    fourth = AuditEntry(
        *connection.execute("SELECT * FROM audit_entries WHERE seq = 4").fetchone()
    )
    connection.close()
    forged = AuditEntry(
        **{
            **fourth.__dict__,
            "seq": 5,
            "action": "record.create",
            "prev_hash": fourth.entry_hash,
            "entry_hash": "",
        }
    )
    forged = AuditEntry(**{**forged.__dict__, "entry_hash": forged.computed_hash()})
    values = ", ".join("?" * 14)
    connection = raw_connection(filled, _key(filled))
    for trigger in ("audit_no_update", "audit_no_delete", "audit_gapless"):
        connection.execute(f"DROP TRIGGER {trigger}")
    connection.execute("UPDATE audit_entries SET seq = seq + 1000 WHERE seq >= 5")
    connection.execute("UPDATE audit_entries SET seq = seq - 999 WHERE seq >= 1000")
    connection.execute(
        f"INSERT INTO audit_entries VALUES ({values})", list(forged.__dict__.values())
    )
    connection.close()

    result = _verify(filled)
    assert result.first_bad_seq == 6
    assert result.problem == (
        "the entry stored as 5 is now at 6: an entry was inserted before it "
        "or it was reordered"
    )
