"""Versioned label sets: the names, colours and keys annotators label with.

A project has one label set per scope (``image`` for ROIs, ``document`` for
spans). Each save writes a new revision with the version number one higher;
every annotation records the version it was made with.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from storage.errors import QT_TRANSLATE_NOOP, StorageError
from storage.operations import mutation
from storage.records import RecordStore

SCOPES = ("image", "document")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class LabelSetError(StorageError):
    """A label set (or its JSON file) is not valid."""

    what = QT_TRANSLATE_NOOP("errors", "The label set {path} is not valid.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Each label needs a unique name, a colour like #ff8800 and a key."
    )


@dataclass(frozen=True)
class Label:
    """One label: a name, a colour (#rrggbb), a key ("1".."9" or "")."""

    name: str
    colour: str
    key: str = ""
    description: str = ""


@dataclass(frozen=True)
class LabelSet:
    """The labels of one scope at one version (version 0: none defined yet)."""

    scope: str
    version: int
    labels: tuple[Label, ...]

    def by_name(self, name: str) -> Label | None:
        """Return the label called ``name``, if the set has one."""
        return next((label for label in self.labels if label.name == name), None)


def _validate(labels: Sequence[Label], path: str) -> None:
    names = [label.name for label in labels]
    keys = [label.key for label in labels if label.key]
    problems = []
    if len(set(names)) != len(names):
        problems.append("label names repeat")
    if len(set(keys)) != len(keys):
        problems.append("keys repeat")
    for label in labels:
        if not label.name.strip():
            problems.append("a label has no name")
        if not _COLOUR.match(label.colour):
            problems.append(f"colour {label.colour!r} of {label.name!r} is not #rrggbb")
        if label.key and label.key not in "123456789":
            problems.append(f"key {label.key!r} of {label.name!r} is not 1-9")
    if problems:
        raise LabelSetError("; ".join(problems), path=path)


def _record(records: RecordStore, scope: str) -> str | None:
    for revision in records.current("label_set"):
        if revision.body.get("scope") == scope:
            return revision.record_id
    return None


def current_label_set(records: RecordStore, scope: str) -> LabelSet:
    """Return the newest label set of ``scope`` (empty, version 0, if none)."""
    record_id = _record(records, scope)
    if record_id is None:
        return LabelSet(scope, 0, ())
    body = records.head(record_id).body
    return LabelSet(
        scope, int(body["version"]), tuple(Label(**item) for item in body["labels"])
    )


def label_set_version(records: RecordStore, scope: str, version: int) -> LabelSet:
    """Return an earlier version of a label set, as annotations made with it saw it."""
    record_id = _record(records, scope)
    for revision in records.history(record_id) if record_id else []:
        if int(revision.body["version"]) == version:
            labels = tuple(Label(**item) for item in revision.body["labels"])
            return LabelSet(scope, version, labels)
    raise LabelSetError(f"no version {version}", path=scope)


@mutation("labels.save_label_set")
def save_label_set(
    records: RecordStore,
    scope: str,
    labels: Sequence[Label],
    *,
    reason: str | None = None,
) -> LabelSet:
    """Save ``labels`` as the next version of the label set of ``scope``."""
    if scope not in SCOPES:
        raise LabelSetError(f"unknown scope {scope!r}", path=scope)
    _validate(labels, scope)
    current = current_label_set(records, scope)
    body = {
        "scope": scope,
        "version": current.version + 1,
        "labels": [asdict(label) for label in labels],
    }
    record_id = _record(records, scope)
    if record_id is None:
        records.create("label_set", body, reason=reason)
    else:
        records.revise(record_id, body, reason=reason)
    return LabelSet(scope, current.version + 1, tuple(labels))


def load_label_set_json(path: Path) -> list[Label]:
    """Read labels from a JSON file: a list, or {"labels": [...]}, of objects.

    Each object has ``name`` and ``colour``, and may have ``key`` and
    ``description``.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LabelSetError(str(error), path=path) from None
    items = data.get("labels") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise LabelSetError("expected a list of labels", path=path)
    labels = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or "name" not in item or "colour" not in item:
            raise LabelSetError(f"label {number} needs a name and a colour", path=path)
        labels.append(
            Label(
                name=str(item["name"]),
                colour=str(item["colour"]),
                key=str(item.get("key", "")),
                description=str(item.get("description", "")),
            )
        )
    _validate(labels, str(path))
    return labels
