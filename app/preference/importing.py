"""Import of a JSONL pairs file as worklist items of kind "pair"."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from app.preference.errors import AlreadyImportedError, MalformedLineError
from app.preference.pairs import PairSource, read_pairs_file
from storage.items import add_item, list_items
from storage.progress import Progress
from storage.records import RecordStore, Revision

logger = logging.getLogger(__name__)

_TITLE_CHARACTERS = 60


@dataclass
class ImportReport:
    """What an import did: items made, shapes detected, lines refused."""

    path: Path
    file_sha256: str
    item_ids: list[str] = field(default_factory=list)
    shapes: dict[str, int] = field(default_factory=dict)
    problems: list[MalformedLineError] = field(default_factory=list)


def import_pairs(
    records: RecordStore,
    path: Path,
    progress: Progress | None = None,
    *,
    is_gold: bool = False,
) -> ImportReport:
    """Import every readable line of a pairs file as a worklist item.

    Parameters
    ----------
    records
        The signed-in project's record store.
    path
        The JSONL file (see :data:`app.preference.pairs.SHAPES`).
    progress
        Told per line while reading and per item while storing.
    is_gold
        Mark the pairs as gold items whose known answer is the response the
        file labels ``chosen`` (pairs without that label are not gold).

    Returns
    -------
    ImportReport
        The new item IDs in file order, the count per shape and the bad lines
        (each a :class:`MalformedLineError` naming its line and problem).

    Raises
    ------
    AlreadyImportedError
        If a file with the same SHA-256 was imported into the project before.
    """
    parsed = read_pairs_file(path, progress)
    for item in list_items(records, "pair"):
        if item.body.get("source", {}).get("file_sha256") == parsed.file_sha256:
            raise AlreadyImportedError(parsed.file_sha256[:12], path=path)

    report = ImportReport(
        path=path,
        file_sha256=parsed.file_sha256,
        shapes=dict(parsed.shapes),
        problems=list(parsed.problems),
    )
    # One transaction: a cancelled or failed import leaves no half of a file.
    with records.transaction():
        for done, pair in enumerate(parsed.pairs):
            if progress is not None:
                progress.report(done, len(parsed.pairs), "")
            stored = _as_gold(pair) if is_gold else pair
            revision = add_item(records, "pair", _title(stored), stored.to_source())
            report.item_ids.append(revision.record_id)

    logger.info(
        "imported %d pair items, %d lines refused",
        len(report.item_ids),
        len(report.problems),
    )
    return report


def mark_gold(records: RecordStore, item_id: str, better_response_id: str) -> Revision:
    """Make an item a gold item whose known better response is given."""
    item = records.head(item_id)
    pair = PairSource.from_source(item.body["source"])
    pair.response(better_response_id)  # KeyError for a response of another item
    body = dict(item.body)
    body["source"] = replace(pair, gold_better=better_response_id).to_source()
    return records.revise(item_id, body, reason="marked as gold item")


def _as_gold(pair: PairSource) -> PairSource:
    """Return the pair with its ``chosen`` response as the gold answer."""
    chosen = [rid for rid, label in pair.source_labels.items() if label == "chosen"]
    if len(pair.responses) != 2 or len(chosen) != 1:
        return pair
    return replace(pair, gold_better=chosen[0])


def _title(pair: PairSource) -> str:
    """Return a worklist title: file line and the start of the last user turn."""
    users = [t.content for t in pair.prompt if t.role == "user"]
    text = " ".join((users[-1] if users else pair.prompt[-1].content).split())
    if len(text) > _TITLE_CHARACTERS:
        text = text[: _TITLE_CHARACTERS - 1] + "…"
    return f"{Path(pair.file_name).stem} #{pair.line}: {text}"
