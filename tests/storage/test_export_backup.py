from __future__ import annotations

import csv
import json
from pathlib import Path

import pymupdf
import pytest

from storage import recovery
from storage.audit_export import AuditFilter, export_audit, review_entries
from storage.backup import backup_project, restore_project
from storage.checkpoints import (
    check_signature,
    make_checkpoint,
    read_checkpoint,
    write_checkpoint,
)
from storage.errors import (
    BackupError,
    CheckpointError,
    PermissionDeniedError,
    WrongPasswordError,
)
from storage.keyfile import KeyFile
from storage.project import create_project, open_project
from tests.storage.helpers import ADMIN, ANNOTATOR, Opener


def test_a_checkpoint_is_signed_and_checked(folder: Path, tmp_path: Path) -> None:
    with open_project(folder, user_id="ada", password=ADMIN[2]) as project:
        checkpoint = make_checkpoint(project)
        assert checkpoint["count"] == project.audit.head()[0]
        assert project.audit.entries(action="audit.checkpoint")
    path = write_checkpoint(checkpoint, tmp_path / "cp.json")
    assert read_checkpoint(path) == checkpoint

    forged = {**checkpoint, "count": checkpoint["count"] + 1}
    with pytest.raises(CheckpointError, match="does not verify"):
        check_signature(forged)
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(CheckpointError) as caught:
        read_checkpoint(tmp_path / "bad.json")
    assert caught.value.path == str(tmp_path / "bad.json")


def test_reviewing_the_trail_is_recorded(sign_in: Opener) -> None:
    project = sign_in(ADMIN)
    roi = project.records.create("roi", {"label": "nodule"})
    entries = review_entries(project, AuditFilter(record_id=roi.record_id))
    assert [e.action for e in entries] == ["record.create"]
    review = project.audit.entries(action="audit.review")[-1]
    assert review.record_id == roi.record_id
    assert json.loads(review.new_value or "")["entries"] == 1


def test_annotators_do_not_read_the_whole_trail(sign_in: Opener) -> None:
    with pytest.raises(PermissionDeniedError):
        review_entries(sign_in(ANNOTATOR))


def test_exports_end_with_the_signed_checkpoint(
    sign_in: Opener, tmp_path: Path
) -> None:
    project = sign_in(ADMIN)
    project.records.create("roi", {"label": "nodule"})
    checkpoint = export_audit(
        project, pdf=tmp_path / "a.pdf", csv_path=tmp_path / "a.csv"
    )

    rows = list(csv.reader((tmp_path / "a.csv").open(encoding="utf-8")))
    assert rows[0][:3] == ["seq", "at", "user_id"]
    assert rows[-1][0] == "checkpoint"
    assert json.loads(rows[-1][1]) == checkpoint
    assert int(rows[-3][0]) == checkpoint["count"]
    check_signature(json.loads(rows[-1][1]))

    with pymupdf.open(tmp_path / "a.pdf") as document:
        text = "".join(page.get_text() for page in document)
    assert "Audit trail of project Chest CT" in text
    assert "record.create" in text
    assert "Signed checkpoint:" in text
    assert checkpoint["head_hash"] in text.replace("\n", "")
    assert project.audit.entries(action="audit.export")


def test_japanese_names_are_readable_in_the_pdf(folder: Path, tmp_path: Path) -> None:
    from storage.accounts import add_user

    with open_project(folder, user_id="ada", password=ADMIN[2]) as project:
        add_user(
            project, "yamada", "山田 太郎", ["annotator"], "山田さんの長いパスワード"
        )
        export_audit(project, pdf=tmp_path / "ja.pdf")
    with pymupdf.open(tmp_path / "ja.pdf") as document:
        text = "".join(page.get_text() for page in document)
    assert '"printed_name":"山田 太郎"' in text


def test_backup_and_restore(sign_in: Opener, team: Path, tmp_path: Path) -> None:
    project = sign_in(ADMIN)
    roi = project.records.create("roi", {"label": "nodule"})
    backup = tmp_path / "backup"
    checkpoint = backup_project(project, backup)
    assert sorted(p.name for p in backup.iterdir()) == [
        "checkpoint.json",
        "manifest.json",
        "project.db",
        "project.key",
    ]
    project.records.revise(roi.record_id, {"label": "lost after backup"})
    project.close()

    result = restore_project(backup, team, user_id="ada", password=ADMIN[2])
    assert result.is_ok
    assert result.count >= checkpoint["count"]
    assert any(p.name.startswith("replaced-") for p in team.iterdir())
    with open_project(team, user_id="ada", password=ADMIN[2]) as restored:
        assert restored.records.head(roi.record_id).body == {"label": "nodule"}
        assert restored.audit.entries(action="project.restore")
        assert restored.audit.verify().is_ok


def test_a_damaged_backup_replaces_nothing(folder: Path, tmp_path: Path) -> None:
    with open_project(folder, user_id="ada", password=ADMIN[2]) as project:
        backup_project(project, tmp_path / "backup")
    database = tmp_path / "backup" / "project.db"
    data = bytearray(database.read_bytes())
    data[6000] ^= 0xFF
    database.write_bytes(bytes(data))
    before = sorted(p.name for p in folder.iterdir())

    with pytest.raises(BackupError, match="differs from the manifest"):
        restore_project(tmp_path / "backup", folder, user_id="ada", password=ADMIN[2])
    assert sorted(p.name for p in folder.iterdir()) == before


def test_a_restore_needs_the_password_and_an_admin(
    sign_in: Opener, tmp_path: Path
) -> None:
    project = sign_in(ADMIN)
    backup_project(project, tmp_path / "backup")
    with pytest.raises(WrongPasswordError):
        restore_project(
            tmp_path / "backup",
            tmp_path / "new",
            user_id="ada",
            password="not the password",
        )
    with pytest.raises(PermissionDeniedError):
        restore_project(
            tmp_path / "backup", tmp_path / "new", user_id="ann", password=ANNOTATOR[2]
        )
    assert not (tmp_path / "new" / "project.db").exists()


def test_backup_into_a_folder_that_is_not_empty(
    sign_in: Opener, tmp_path: Path
) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(BackupError, match="not empty"):
        backup_project(sign_in(ADMIN), tmp_path / "full")


def test_the_escrow_key_recovers_a_project_whose_passwords_are_lost(
    tmp_path: Path,
) -> None:
    private_pem, public_pem = recovery.generate_escrow_key()
    folder = tmp_path / "p"
    create_project(
        folder,
        name="x",
        user_id="ada",
        printed_name="Ada Admin",
        password=ADMIN[2],
        escrow_public_key=public_pem,
    )
    keyfile = KeyFile.read(folder / "project.key")
    assert recovery.has_recovery_wrap(keyfile)
    assert recovery.recover_database_key(keyfile, private_pem) == keyfile.unwrap(
        "ada", ADMIN[2]
    )
    other_private, _ = recovery.generate_escrow_key()
    with pytest.raises(WrongPasswordError):
        recovery.recover_database_key(keyfile, other_private)

    recovery.recover_access(
        folder, private_pem, user_id="ada", new_password="recovered password 1"
    )
    with open_project(
        folder,
        user_id="ada",
        password="recovered password 1",
        new_password="ada's next password",
    ) as project:
        assert project.audit.entries(action="alert.recovery_used")
        assert project.audit.verify().is_ok


def test_a_backup_with_an_edited_trail_is_refused(folder: Path, tmp_path: Path) -> None:
    import hashlib

    from tests.storage.helpers import raw_connection

    backup = tmp_path / "backup"
    with open_project(folder, user_id="ada", password=ADMIN[2]) as project:
        backup_project(project, backup)
        key = project.database_key()
    connection = raw_connection(backup, key)
    connection.execute("DROP TRIGGER audit_no_update")
    connection.execute("UPDATE audit_entries SET printed_name = 'Eve' WHERE seq = 3")
    connection.close()
    # The tamperer also fixes the manifest; the chain still gives it away.
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["files"]["project.db"] = hashlib.sha256(
        (backup / "project.db").read_bytes()
    ).hexdigest()
    (backup / "manifest.json").write_text(json.dumps(manifest))
    before = sorted(p.name for p in folder.iterdir())

    with pytest.raises(BackupError, match="audit entry 3: the entry was edited"):
        restore_project(backup, folder, user_id="ada", password=ADMIN[2])
    assert sorted(p.name for p in folder.iterdir()) == before
