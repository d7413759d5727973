"""BRAT standoff (.txt + .ann) of spans, attributes, relations and codes, both ways."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from app.exports.document_errors import DocumentExportError, ImportFormatError
from app.exports.documents import SERIOUSNESS, AnnotatedDocument, span_text

logger = logging.getLogger(__name__)

# BRAT attribute names for the span attributes (binary ones carry no value).
_NEGATED = "Negated"
_HYPOTHETICAL = "Hypothetical"
_SEVERITY = "Severity"
_SERIOUS = "Serious"  # one binary attribute per criterion: Serious_death, ...
_NOTE = "AnnotatorNotes"
_FRAGMENT = re.compile(r"^(\d+) (\d+)$")


def write_brat(document: AnnotatedDocument, stem: Path) -> tuple[Path, Path]:
    """Write ``stem.txt`` (the canonical text) and ``stem.ann`` (the annotations).

    Spans become text-bound annotations with code-point offsets, a
    discontinuous span as ``T1 Label 0 5;10 15``; negated, hypothetical,
    severity and seriousness become attributes; relations become ``R`` lines;
    the code and the other fields of a span go to an ``AnnotatorNotes`` note as
    a short summary followed by JSON, so that :func:`read_brat` gets them back.

    Returns
    -------
    tuple of Path
        The .txt and .ann files written.
    """
    document.check()
    stem = Path(stem)
    lines: list[str] = []
    t_of: dict[str, str] = {}
    counters = {"A": 0, "R": 0, "#": 0}

    def next_id(kind: str) -> str:
        counters[kind] += 1
        return f"{kind}{counters[kind]}"

    for number, span_id in enumerate(document.spans, start=1):
        body = document.spans[span_id]
        t_id = f"T{number}"
        t_of[span_id] = t_id
        label = str(body["label"])
        brat_label = re.sub(r"\s+", "_", label) or "Span"
        fragments = ";".join(f"{s} {e}" for s, e in body["fragments"])
        # BRAT's text field is one line: a span over a line break shows a space.
        shown = " ".join(span_text(document.text, body["fragments"]).splitlines())
        lines.append(f"{t_id}\t{brat_label} {fragments}\t{shown}")

        attributes = body.get("attributes") or {}
        if attributes.get("negated"):
            lines.append(f"{next_id('A')}\t{_NEGATED} {t_id}")
        if attributes.get("hypothetical"):
            lines.append(f"{next_id('A')}\t{_HYPOTHETICAL} {t_id}")
        if attributes.get("severity"):
            lines.append(f"{next_id('A')}\t{_SEVERITY} {t_id} {attributes['severity']}")
        for criterion in attributes.get("seriousness") or []:
            lines.append(f"{next_id('A')}\t{_SERIOUS}_{criterion} {t_id}")

        extra = {
            k: v
            for k, v in body.items()
            if k not in ("document_hash", "fragments", "text", "attributes")
        }
        extra["record_id"] = span_id
        lines.append(f"{next_id('#')}\t{_NOTE} {t_id}\t{_summary(body)} {_dump(extra)}")

    for relation in document.relations:
        kind = re.sub(r"\s+", "_", str(relation["type"]))
        lines.append(
            f"{next_id('R')}\t{kind} Arg1:{t_of[relation['from']]} "
            f"Arg2:{t_of[relation['to']]}"
        )

    txt, ann = stem.with_suffix(".txt"), stem.with_suffix(".ann")
    # newline="" keeps the text's own line ends, so offsets stay exact.
    txt.write_text(document.text, encoding="utf-8", newline="")
    ann.write_text("".join(line + "\n" for line in lines), encoding="utf-8", newline="")
    logger.info(
        "BRAT export: %d spans, %d relations", len(t_of), len(document.relations)
    )
    return txt, ann


def _summary(body: dict[str, Any]) -> str:
    code = body.get("code")
    if not code:
        return "no code"
    return (
        (
            f"{code.get('system')} {code.get('version')}: LLT {code.get('llt_code')} "
            f"{code.get('llt')}; PT {code.get('pt_code')} {code.get('pt')}"
        )
        .replace("{", "(")
        .replace("}", ")")
    )


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def read_brat(stem: Path, *, document_hash: str = "") -> AnnotatedDocument:
    """Read ``stem.txt`` and ``stem.ann`` back into an annotated document.

    Files written by :func:`write_brat` come back with the same span IDs,
    bodies and relations; files from another BRAT installation come back with
    their T-IDs as span IDs and label set version 0.

    Raises
    ------
    ImportFormatError
        A line of the .ann is malformed or its text does not match the offsets
        (file and line named).
    """
    stem = Path(stem)
    txt, ann = stem.with_suffix(".txt"), stem.with_suffix(".ann")
    if not txt.is_file() or not ann.is_file():
        raise ImportFormatError("the .txt or the .ann is missing", path=stem, line=0)
    # newline="" keeps CR LF as two code points, as the offsets count them.
    with txt.open(encoding="utf-8", newline="") as handle:
        text = handle.read()

    spans: dict[str, dict[str, Any]] = {}
    notes: dict[str, dict[str, Any]] = {}
    relations: list[tuple[str, str, str]] = []
    for number, line in enumerate(ann.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            _read_line(line, text, spans, notes, relations)
        except (ValueError, KeyError, IndexError) as error:
            raise ImportFormatError(f"{error}", path=ann, line=number) from error

    return _assemble(spans, notes, relations, text, document_hash, stem.name)


def _read_line(
    line: str,
    text: str,
    spans: dict[str, dict[str, Any]],
    notes: dict[str, dict[str, Any]],
    relations: list[tuple[str, str, str]],
) -> None:
    ann_id, rest = line.split("\t", 1)
    kind = ann_id[0]
    if kind == "T":
        spans[ann_id] = _text_bound(ann_id, rest, text)
    elif kind in ("A", "M"):
        _attribute(rest, spans)
    elif kind == "R":
        name, arg1, arg2 = rest.split()
        relations.append((name, arg1.split(":", 1)[1], arg2.split(":", 1)[1]))
    elif kind == "#":
        head, note = rest.split("\t", 1)
        target = head.split(" ")[1]
        brace = note.find("{")
        if brace >= 0:
            notes[target] = json.loads(note[brace:])
    else:
        # Events (E) and equivalences (*) have no place in the span model.
        raise ValueError(f"annotation kind {kind!r} is not supported")


def _text_bound(ann_id: str, rest: str, text: str) -> dict[str, Any]:
    head, shown = rest.split("\t", 1)
    label, _, places = head.partition(" ")
    fragments = []
    for part in places.split(";"):
        match = _FRAGMENT.match(part.strip())
        if not match:
            raise ValueError(f"malformed offsets {part!r} of {ann_id}")
        fragments.append([int(match.group(1)), int(match.group(2))])
    found = " ".join(span_text(text, fragments).splitlines())
    if found != shown:
        raise ValueError(f"{ann_id} offsets point at {found!r}, not {shown!r}")
    return {
        "label": label,
        "fragments": fragments,
        "text": span_text(text, fragments),
        "attributes": {
            "negated": False,
            "hypothetical": False,
            "severity": None,
            "seriousness": [],
        },
    }


def _attribute(rest: str, spans: dict[str, dict[str, Any]]) -> None:
    parts = rest.split(" ")
    name, target = parts[0], parts[1]
    attributes = spans[target]["attributes"]
    criterion = name.removeprefix(_SERIOUS + "_")
    if name == _NEGATED:
        attributes["negated"] = True
    elif name == _HYPOTHETICAL:
        attributes["hypothetical"] = True
    elif name == _SEVERITY:
        attributes["severity"] = parts[2]
    elif criterion != name and criterion in SERIOUSNESS:
        attributes["seriousness"].append(criterion)
    else:
        raise ValueError(f"unknown attribute {name!r}")


def _assemble(
    spans: dict[str, dict[str, Any]],
    notes: dict[str, dict[str, Any]],
    relations: list[tuple[str, str, str]],
    text: str,
    document_hash: str,
    title: str,
) -> AnnotatedDocument:
    document = AnnotatedDocument(document_hash=document_hash, text=text, title=title)
    record_of: dict[str, str] = {}
    for t_id, span in spans.items():
        extra = dict(notes.get(t_id, {}))
        record_id = str(extra.pop("record_id", t_id))
        body: dict[str, Any] = {
            "document_hash": document_hash,
            "label": extra.pop("label", span["label"]),
            "label_set_version": extra.pop("label_set_version", 0),
            "fragments": span["fragments"],
            "text": span["text"],
            "attributes": span["attributes"],
            "code": extra.pop("code", None),
        }
        body.update(extra)
        document.spans[record_id] = body
        record_of[t_id] = record_id
    for name, arg1, arg2 in relations:
        if arg1 not in record_of or arg2 not in record_of:
            raise ImportFormatError(
                f"relation {name} names an unknown span", path=title
            )
        document.relations.append(
            {"type": name, "from": record_of[arg1], "to": record_of[arg2]}
        )
    if not document_hash:
        # Without a hash the caller adopts the text as a new document.
        logger.info("BRAT import without a document hash: %d spans", len(spans))
    try:
        document.check()
    except DocumentExportError as error:
        raise ImportFormatError(error.detail, path=title, line=0) from error
    return document
