"""Reviewing and exporting the audit trail: CSV and PDF, each ending with a checkpoint.

Reviewing the trail is itself recorded (EU GMP Annex 11 section 9): every
call of :func:`review_entries` and every export writes an audit entry naming
the filters used.
"""

from __future__ import annotations

import csv
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storage import permissions
from storage.audit import AuditEntry
from storage.checkpoints import make_checkpoint
from storage.operations import mutation
from storage.signatures import local_time

if TYPE_CHECKING:
    from storage.project import Project

logger = logging.getLogger(__name__)

CSV_COLUMNS = (
    "seq",
    "at",
    "user_id",
    "printed_name",
    "workstation_id",
    "app_version",
    "action",
    "record_type",
    "record_id",
    "old_value",
    "new_value",
    "reason",
    "prev_hash",
    "entry_hash",
)


@dataclass(frozen=True)
class AuditFilter:
    """What part of the trail to show: by record, user, action and UTC dates."""

    record_id: str | None = None
    user_id: str | None = None
    action: str | None = None
    since: str | None = None
    until: str | None = None

    def to_json(self) -> dict[str, str]:
        """Return the filters that are set."""
        return {k: v for k, v in self.__dict__.items() if v}


@mutation("audit_export.review_entries")
def review_entries(
    project: Project, where: AuditFilter | None = None
) -> list[AuditEntry]:
    """Return the entries matching ``where`` and record that they were reviewed."""
    permissions.require(project.user, "read", "audit")
    where = where or AuditFilter()
    entries = project.audit.entries(**where.__dict__)
    with project.records.transaction():
        project.audit.append(
            "audit.review",
            record_type="audit",
            record_id=where.record_id,
            new={"filters": where.to_json(), "entries": len(entries)},
        )
    return entries


def record_history(project: Project, record_id: str) -> list[AuditEntry]:
    """Return a record's history (every old and new value), recorded as a review."""
    return review_entries(project, AuditFilter(record_id=record_id))


@mutation("audit_export.export_audit")
def export_audit(
    project: Project,
    *,
    pdf: Path | None = None,
    csv_path: Path | None = None,
    where: AuditFilter | None = None,
) -> dict[str, Any]:
    """Write the trail as CSV and/or PDF, each ending with a signed checkpoint.

    Returns the checkpoint. The export's own entry is inside the checkpoint.
    """
    permissions.require(project.user, "export", "audit")
    where = where or AuditFilter()
    with project.records.transaction():
        project.audit.append(
            "audit.export",
            record_type="audit",
            record_id=where.record_id,
            new={
                "filters": where.to_json(),
                "pdf": Path(pdf).name if pdf else None,
                "csv": Path(csv_path).name if csv_path else None,
            },
        )
    checkpoint = make_checkpoint(project, purpose="audit export")
    entries = [
        e
        for e in project.audit.entries(**where.__dict__)
        if e.seq <= checkpoint["count"]
    ]
    if csv_path is not None:
        _write_csv(Path(csv_path), entries, checkpoint)
    if pdf is not None:
        _write_pdf(Path(pdf), project, entries, checkpoint)
    logger.info("Exported %d audit entries", len(entries))
    return checkpoint


def _write_csv(
    path: Path, entries: list[AuditEntry], checkpoint: dict[str, Any]
) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(CSV_COLUMNS)
        for entry in entries:
            writer.writerow([getattr(entry, name) for name in CSV_COLUMNS])
        writer.writerow([])
        writer.writerow(["checkpoint", json.dumps(checkpoint, sort_keys=True)])


def _entry_lines(entry: AuditEntry) -> list[str]:
    who = f"{entry.user_id or '-'} ({entry.printed_name or '-'})"
    lines = [
        f"#{entry.seq}  {entry.at}  [{local_time(entry.at)}]  {who}",
        f"    {entry.action}  {entry.record_type or ''} {entry.record_id or ''}",
    ]
    if entry.old_value is not None:
        lines.append(f"    old: {entry.old_value}")
    if entry.new_value is not None:
        lines.append(f"    new: {entry.new_value}")
    if entry.reason:
        lines.append(f"    reason: {entry.reason}")
    lines.append(f"    workstation {entry.workstation_id}  app {entry.app_version}")
    lines.append(f"    hash {entry.entry_hash}")
    return lines


def _write_pdf(
    path: Path, project: Project, entries: list[AuditEntry], checkpoint: dict[str, Any]
) -> None:
    import pymupdf

    lines = [
        f"Audit trail of project {project.name} ({project.project_id})",
        f"Exported by {project.user.printed_name} ({project.user.user_id})",
        "",
    ]
    for entry in entries:
        lines.extend(_entry_lines(entry))
    lines += ["", "Signed checkpoint:", *json.dumps(checkpoint, indent=1).splitlines()]

    # A4 in page points, 10 pt monospaced text; long values wrap at 95 columns.
    document = pymupdf.open()  # type: ignore[no-untyped-call]  # PyMuPDF: no hints
    width, height, margin, step = 595, 842, 36, 12
    wrapped = [chunk for line in lines for chunk in _wrap(line, 95)]
    per_page = int((height - 2 * margin) // step)
    for start in range(0, max(len(wrapped), 1), per_page):
        page = document.new_page(width=width, height=height)
        y = margin + step
        for text in wrapped[start : start + per_page]:
            # Courier has Latin-1 only; Japanese names and values need a CJK font.
            font = "cour" if text.isascii() else "japan"
            page.insert_text((margin, y), text, fontsize=8, fontname=font)
            y += step
    document.save(str(path))  # type: ignore[no-untyped-call]
    document.close()  # type: ignore[no-untyped-call]


def _wrap(line: str, columns: int) -> list[str]:
    if len(line) <= columns:
        return [line]
    return [line[i : i + columns] for i in range(0, len(line), columns)]
