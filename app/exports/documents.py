"""Annotated documents as plain data, as JSONL, and as read from a project."""

from __future__ import annotations

import json
import logging
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.exports.document_errors import DocumentExportError, ImportFormatError

logger = logging.getLogger(__name__)

TEXT_ASSET_KIND = "document_text"
"""Project assets of this kind hold a document's canonical text (UTF-8), by hash."""
FORMATS = ("jsonl", "brat", "conll", "sdtm-csv", "sdtm-xpt", "fhir-r4b", "fhir-r5")
SERIOUSNESS = (
    "death",
    "life_threatening",
    "hospitalisation",
    "disability",
    "congenital_anomaly",
    "other_medically_important",
)
SEVERITIES = ("mild", "moderate", "severe")


@dataclass
class AnnotatedDocument:
    """One document's canonical text with its span and relation record bodies.

    Offsets in span ``fragments`` are code points of ``text`` (Python string
    indices), end exclusive. ``spans`` maps span record IDs to bodies, in
    document order; relation bodies name spans by those IDs in ``from``/``to``.
    ``subject`` is the study subject (USUBJID) the document reports on, if any.
    """

    document_hash: str
    text: str
    spans: dict[str, dict[str, Any]] = field(default_factory=dict)
    relations: list[dict[str, Any]] = field(default_factory=list)
    title: str = ""
    subject: str = ""

    def check(self) -> None:
        """Refuse spans whose fragments fall outside the text or relations to no span.

        Raises
        ------
        DocumentExportError
            Naming the document title and the span or relation.
        """
        for span_id, body in self.spans.items():
            fragments = body.get("fragments") or []
            if not fragments:
                raise DocumentExportError(
                    f"span {span_id} has no fragments", path=self.title
                )
            for start, end in fragments:
                if not 0 <= start < end <= len(self.text):
                    raise DocumentExportError(
                        f"span {span_id} fragment {start}-{end} outside the text "
                        f"of {len(self.text)} code points",
                        path=self.title,
                    )
        for relation in self.relations:
            if (
                relation.get("from") not in self.spans
                or relation.get("to") not in self.spans
            ):
                raise DocumentExportError(
                    f"relation {relation.get('type')} names a span not in the document",
                    path=self.title,
                )


def span_text(text: str, fragments: Sequence[Sequence[int]]) -> str:
    """Return the text of a span: its fragments' texts joined by single spaces."""
    return " ".join(text[start:end] for start, end in fragments)


def sorted_span_ids(document: AnnotatedDocument) -> list[str]:
    """Span IDs in reading order (first fragment start, then longest first)."""

    def key(span_id: str) -> tuple[int, int, str]:
        fragments = document.spans[span_id]["fragments"]
        return (fragments[0][0], -fragments[-1][1], span_id)

    return sorted(document.spans, key=key)


def is_reportable(body: Mapping[str, Any], *, include_uncertain: bool = False) -> bool:
    """Whether a span is an adverse event to report (SDTM AE, FHIR AdverseEvent).

    It must carry a MedDRA code; negated and hypothetical mentions are left
    out unless ``include_uncertain``.
    """
    code = body.get("code")
    if not code or code.get("system") != "MedDRA" or code.get("pt_code") is None:
        return False
    attributes = body.get("attributes") or {}
    if include_uncertain:
        return True
    return not attributes.get("negated") and not attributes.get("hypothetical")


def is_ascii(text: str) -> bool:
    """Whether every character is 7-bit ASCII (SAS transport version 5 needs it)."""
    return all(ord(c) < 128 for c in text)


def nfc(text: str) -> str:
    """Text in Unicode NFC, the form exports write."""
    return unicodedata.normalize("NFC", text)


# ----- JSONL ----------------------------------------------------------------


def write_jsonl(documents: Iterable[AnnotatedDocument], path: Path) -> int:
    """Write one JSON object per document per line (UTF-8, code-point offsets).

    Returns
    -------
    int
        The number of documents written.
    """
    lines: list[str] = []
    for document in documents:
        document.check()
        lines.append(
            json.dumps(
                {
                    "document_hash": document.document_hash,
                    "title": document.title,
                    "subject": document.subject,
                    "offsets": "code points",
                    "text": document.text,
                    "spans": [
                        {"id": span_id, **document.spans[span_id]}
                        for span_id in document.spans
                    ],
                    "relations": document.relations,
                },
                ensure_ascii=False,
                sort_keys=False,
            )
        )
    Path(path).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    logger.info("JSONL export: %d documents", len(lines))
    return len(lines)


def read_jsonl(path: Path) -> list[AnnotatedDocument]:
    """Read documents written by :func:`write_jsonl`.

    Raises
    ------
    ImportFormatError
        A line is not such an object (file and line named).
    """
    documents: list[AnnotatedDocument] = []
    text = Path(path).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            spans = {s.pop("id"): s for s in obj["spans"]}
            document = AnnotatedDocument(
                document_hash=obj["document_hash"],
                text=obj["text"],
                spans=spans,
                relations=list(obj["relations"]),
                title=obj.get("title", ""),
                subject=obj.get("subject", ""),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ImportFormatError(
                f"not an annotated document: {error!r}", path=path, line=number
            ) from error
        try:
            document.check()
        except DocumentExportError as error:
            raise ImportFormatError(error.detail, path=path, line=number) from error
        documents.append(document)
    return documents


# ----- from a project ---------------------------------------------------------


def document_texts_from_project(project: Any) -> dict[str, str]:
    """Canonical texts kept in the project, by document hash.

    Reads assets of kind :data:`TEXT_ASSET_KIND` (UTF-8 text, keyed by the
    hash that spans name).
    """
    from storage import assets

    texts: dict[str, str] = {}
    for key, version, _ in assets.list_assets(project, TEXT_ASSET_KIND):
        data = assets.get_asset(project, TEXT_ASSET_KIND, key, version=version)
        if data is not None:
            texts[key] = data.decode("utf-8")
    return texts


def documents_from_project(
    project: Any, texts: Mapping[str, str] | None = None
) -> list[AnnotatedDocument]:
    """Collect the live span and relation records of a project by document.

    Parameters
    ----------
    project
        An open ``storage.project.Project``.
    texts
        Canonical text by document hash; read with
        :func:`document_texts_from_project` when None.

    Returns
    -------
    list of AnnotatedDocument
        One per document that has spans, in the order of ``texts``; titles
        and subjects (USUBJID) from the worklist items whose source names the
        document hash (``source["subject"]`` where the item has one).

    Raises
    ------
    DocumentExportError
        A span names a document whose text is not in the project.
    """
    from storage.items import list_items

    if texts is None:
        texts = document_texts_from_project(project)
    documents = {
        h: AnnotatedDocument(h, text, title=h[:12]) for h, text in texts.items()
    }
    for item in list_items(project.records, "document"):
        source = item.body.get("source") or {}
        document = documents.get(str(source.get("document_hash", "")))
        if document is not None:
            document.title = str(item.body.get("title") or document.title)
            document.subject = str(source.get("subject") or document.subject)

    owner: dict[str, str] = {}
    for revision in project.records.current("span"):
        body = dict(revision.body)
        document = documents.get(body.get("document_hash", ""))
        if document is None:
            raise DocumentExportError(
                f"span {revision.record_id} names a document whose text is missing",
                path=str(body.get("document_hash", ""))[:12],
            )
        document.spans[revision.record_id] = body
        owner[revision.record_id] = document.document_hash
    for revision in project.records.current("relation"):
        body = dict(revision.body)
        home = owner.get(body.get("from", ""))
        if home is None or owner.get(body.get("to", "")) != home:
            # A relation to a deleted span is history, not part of the export.
            logger.warning("relation %s skipped: no live span", revision.record_id[:8])
            continue
        documents[home].relations.append(body)
    return [d for d in documents.values() if d.spans]


def export_documents(
    documents: Sequence[AnnotatedDocument],
    fmt: str,
    out: Path,
    *,
    study_id: str = "",
    include_uncertain: bool = False,
) -> list[str]:
    """Export documents in one of :data:`FORMATS`; return the problems reported.

    ``out`` is a file for jsonl, sdtm-csv, sdtm-xpt and the FHIR formats (a
    FHIR Bundle in JSON) and a folder for brat and conll (one file set per
    document).
    """
    from app.exports import brat, conll, fhir, sdtm

    if fmt not in FORMATS:
        raise DocumentExportError(f"unknown format {fmt!r}", path=out)
    out = Path(out)
    problems: list[str] = []

    if fmt == "jsonl":
        write_jsonl(documents, out)
    elif fmt in ("brat", "conll"):
        out.mkdir(parents=True, exist_ok=True)
        for index, document in enumerate(documents, start=1):
            stem = out / f"{index:04d}-{document.document_hash[:12]}"
            if fmt == "brat":
                brat.write_brat(document, stem)
            else:
                problems += conll.write_conll(document, stem.with_suffix(".conll"))
    elif fmt.startswith("sdtm"):
        rows, problems = sdtm.ae_rows(
            documents, study_id=study_id, include_uncertain=include_uncertain
        )
        if fmt == "sdtm-csv":
            sdtm.write_csv(rows, out)
        else:
            problems += sdtm.write_xpt(rows, out)
    else:
        bundle, problems = fhir.adverse_event_bundle(
            documents,
            release="R4B" if fmt == "fhir-r4b" else "R5",
            include_uncertain=include_uncertain,
        )
        out.write_text(
            json.dumps(bundle, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return problems
