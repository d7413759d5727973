"""Export of preference judgements: TRL-ready JSONL, a full JSONL and Parquet."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.preference.errors import ExportError
from app.preference.judgements import JUDGEMENT, RANKING
from app.preference.pairs import PairSource, Turn
from storage.items import list_items
from storage.progress import Progress
from storage.records import RecordStore, Revision

logger = logging.getLogger(__name__)

#: The reward margin written for each strength (TRL's ``margin`` column).
MARGINS = {"slight": 1.0, "clear": 2.0, "strong": 3.0}

#: Suffix of the file beside a TRL export that holds verdicts without a
#: preference (tie, both bad, cannot judge): they are kept, never dropped.
NO_PREFERENCE_SUFFIX = ".no_preference.jsonl"

_NO_PREFERENCE = ("tie", "both_bad", "cannot_judge")


@dataclass
class ExportReport:
    """What an export wrote: files and counts of rows."""

    paths: list[Path] = field(default_factory=list)
    judgements: int = 0
    preference_rows: int = 0
    no_preference_rows: int = 0


def no_preference_path(out: Path) -> Path:
    """Return the path of the tie/both-bad/cannot-judge file beside ``out``."""
    name = out.name.removesuffix(".jsonl")
    return out.with_name(name + NO_PREFERENCE_SUFFIX)


def export_trl(
    records: RecordStore,
    out: Path,
    progress: Progress | None = None,
    *,
    is_conversational: bool = False,
) -> ExportReport:
    """Write the judgements as TRL preference rows (prompt, chosen, rejected, margin).

    A pair verdict gives one row with the margin of its strength
    (:data:`MARGINS`); a ranking of n responses gives every ordered pair
    (n(n-1)/2 rows) with the difference of ranks as margin. Ties, both-bad
    and cannot-judge verdicts go to :func:`no_preference_path` (always
    written, empty when there are none).

    Parameters
    ----------
    records
        The signed-in project's record store.
    out
        The JSONL file to write.
    progress
        Told per judgement.
    is_conversational
        Write prompt, chosen and rejected as lists of ``{"role", "content"}``
        messages instead of text; a multi-turn prompt as text is the
        ``Human:``/``Assistant:`` transcript ending with ``Assistant:``.
    """
    report = ExportReport(paths=[out, no_preference_path(out)])
    rows: list[dict[str, Any]] = []
    others: list[dict[str, Any]] = []
    for revision, pair in _judgements(records, progress):
        report.judgements += 1
        body = revision.body
        prompt = _prompt(pair.prompt, is_conversational)
        if body.get("verdict") in _NO_PREFERENCE:
            others.append(_no_preference_row(revision, pair, prompt))
            continue
        for better, worse, margin in _preferences(body):
            rows.append(
                {
                    "prompt": prompt,
                    "chosen": _answer(pair, better, is_conversational),
                    "rejected": _answer(pair, worse, is_conversational),
                    "margin": margin,
                }
            )

    _write_jsonl(out, rows)
    _write_jsonl(no_preference_path(out), others)
    report.preference_rows, report.no_preference_rows = len(rows), len(others)
    logger.info(
        "TRL export: %d judgements, %d preference rows, %d without preference",
        report.judgements,
        len(rows),
        len(others),
    )
    return report


def full_rows(
    records: RecordStore, progress: Progress | None = None
) -> list[dict[str, Any]]:
    """Return one row per judgement or ranking with every field.

    A row holds the item, the judge, the time, the verdict, strength and
    margin, the preferred and rejected response IDs, the ranking, rubric
    scores, flags, rationale, the randomised positions (``positions[0]`` was
    on the left) with their HMAC, the seconds spent, the prompt turns, the
    responses with their source labels, whether the item is gold, and the
    import file's SHA-256 and line.
    """
    rows = []
    for revision, pair in _judgements(records, progress):
        body = revision.body
        strength = body.get("strength")
        rows.append(
            {
                "item_id": revision.item_id,
                "record_type": revision.record_type,
                "revision_id": revision.revision_id,
                "judge": revision.author,
                "created_at": revision.created_at,
                "verdict": body.get("verdict"),
                "strength": strength,
                "margin": MARGINS.get(strength) if strength else None,
                "preferred": body.get("preferred"),
                "rejected": body.get("rejected"),
                "ranking": list(body.get("ranking", [])),
                "rubrics": body.get("rubrics", {}),
                "flags": body.get("flags", {}),
                "rationale": body.get("rationale", ""),
                "positions": list(body.get("positions", [])),
                "sides_hmac": body.get("sides_hmac"),
                "seconds": body.get("seconds"),
                "prompt": [{"role": t.role, "content": t.content} for t in pair.prompt],
                "responses": [
                    {
                        "response_id": r.response_id,
                        "text": r.text,
                        "source_label": pair.source_labels.get(r.response_id),
                    }
                    for r in pair.responses
                ],
                "is_gold": pair.gold_better is not None,
                "gold_better": pair.gold_better,
                "file_sha256": pair.file_sha256,
                "line": pair.line,
            }
        )
    return rows


def export_full(
    records: RecordStore, out: Path, progress: Progress | None = None
) -> ExportReport:
    """Write :func:`full_rows` as JSONL, one judgement per line."""
    rows = full_rows(records, progress)
    _write_jsonl(out, rows)
    logger.info("full preference export: %d judgements", len(rows))
    return ExportReport(paths=[out], judgements=len(rows), preference_rows=len(rows))


def export_parquet(
    records: RecordStore, out: Path, progress: Progress | None = None
) -> ExportReport:
    """Write :func:`full_rows` as a Parquet table for dataset tools.

    Rubric scores and flags, whose keys vary by response, are stored as JSON
    text (``rubrics_json``, ``flags_json``); prompt and responses as lists of
    structs; every other field as its own column.
    """
    import pyarrow as pa  # imported here: only this export needs it
    import pyarrow.parquet as pq

    rows = full_rows(records, progress)
    for row in rows:
        row["rubrics_json"] = json.dumps(row.pop("rubrics"), ensure_ascii=False)
        row["flags_json"] = json.dumps(row.pop("flags"), ensure_ascii=False)
    schema = pa.schema(
        [
            ("item_id", pa.string()),
            ("record_type", pa.string()),
            ("revision_id", pa.string()),
            ("judge", pa.string()),
            ("created_at", pa.string()),
            ("verdict", pa.string()),
            ("strength", pa.string()),
            ("margin", pa.float64()),
            ("preferred", pa.string()),
            ("rejected", pa.string()),
            ("ranking", pa.list_(pa.string())),
            ("rubrics_json", pa.string()),
            ("flags_json", pa.string()),
            ("rationale", pa.string()),
            ("positions", pa.list_(pa.string())),
            ("sides_hmac", pa.string()),
            ("seconds", pa.float64()),
            (
                "prompt",
                pa.list_(pa.struct([("role", pa.string()), ("content", pa.string())])),
            ),
            (
                "responses",
                pa.list_(
                    pa.struct(
                        [
                            ("response_id", pa.string()),
                            ("text", pa.string()),
                            ("source_label", pa.string()),
                        ]
                    )
                ),
            ),
            ("is_gold", pa.bool_()),
            ("gold_better", pa.string()),
            ("file_sha256", pa.string()),
            ("line", pa.int64()),
        ]
    )
    try:
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), out)
    except OSError as error:
        raise ExportError(str(error), path=out) from error
    logger.info("Parquet preference export: %d judgements", len(rows))
    return ExportReport(paths=[out], judgements=len(rows), preference_rows=len(rows))


def _judgements(
    records: RecordStore, progress: Progress | None
) -> Iterator[tuple[Revision, PairSource]]:
    """Yield every live judgement and ranking with its pair, in worklist order."""
    items = list_items(records, "pair")
    for done, item in enumerate(items):
        if progress is not None:
            progress.report(done, len(items), "")
        pair = PairSource.from_source(item.body["source"])
        found = records.current(JUDGEMENT, item_id=item.record_id)
        found += records.current(RANKING, item_id=item.record_id)
        for revision in sorted(found, key=lambda r: (r.author, r.created_at)):
            yield revision, pair


def _preferences(body: Mapping[str, Any]) -> Iterator[tuple[str, str, float]]:
    """Yield (better, worse, margin) for a pair verdict or an expanded ranking."""
    if body.get("preferred") is not None:
        yield body["preferred"], body["rejected"], MARGINS[body["strength"]]
        return
    ranking = list(body.get("ranking", []))
    for high, better in enumerate(ranking):
        for low in range(high + 1, len(ranking)):
            yield better, ranking[low], float(low - high)


def _prompt(turns: tuple[Turn, ...], is_conversational: bool) -> Any:
    """Return the prompt as messages, or as text (a transcript if multi-turn)."""
    if is_conversational:
        return [{"role": t.role, "content": t.content} for t in turns]
    if len(turns) == 1 and turns[0].role == "user":
        return turns[0].content
    names = {"user": "Human", "assistant": "Assistant", "system": "System"}
    text = "".join(f"\n\n{names[t.role]}: {t.content}" for t in turns)
    return text + "\n\nAssistant:"


def _answer(pair: PairSource, response_id: str, is_conversational: bool) -> Any:
    """Return one response as text or as a one-message assistant list."""
    text = pair.response(response_id).text
    if is_conversational:
        return [{"role": "assistant", "content": text}]
    return text


def _no_preference_row(
    revision: Revision, pair: PairSource, prompt: Any
) -> dict[str, Any]:
    """Return a row for a verdict without a preference, with its reason."""
    body = revision.body
    return {
        "item_id": revision.item_id,
        "judge": revision.author,
        "verdict": body.get("verdict"),
        "prompt": prompt,
        "responses": [pair.response(rid).text for rid in body.get("positions", [])],
        "rationale": body.get("rationale", ""),
    }


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    """Write rows as UTF-8 JSONL, through a temporary file so no half file stays."""
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as stream:
            for row in rows:
                stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise ExportError(str(error), path=path) from error
