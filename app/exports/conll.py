"""CoNLL-style BIO tagging of flat spans, with code-point offsets, both ways."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from app.exports.document_errors import ImportFormatError
from app.exports.documents import AnnotatedDocument, sorted_span_ids

logger = logging.getLogger(__name__)

_HEADER = "# token\tstart\tend\ttag"


def write_conll(document: AnnotatedDocument, path: Path) -> list[str]:
    """Write one token per line: token, start, end (code points), BIO tag.

    Tokens are split at whitespace and at span edges, so a span always covers
    whole tokens (Japanese text without spaces included); a line break of the
    text starts a new sentence (blank line). Only flat spans fit BIO tags.

    Returns
    -------
    list of str
        Problems: discontinuous spans and spans overlapping an earlier one,
        which are left out of the file (named by record ID).
    """
    document.check()
    problems: list[str] = []
    flat: list[tuple[int, int, str]] = []
    last_end = 0
    for span_id in sorted_span_ids(document):
        body = document.spans[span_id]
        fragments = body["fragments"]
        if len(fragments) > 1:
            problems.append(f"span {span_id} is discontinuous; left out of CoNLL")
            continue
        start, end = fragments[0]
        if start < last_end:
            problems.append(f"span {span_id} overlaps another; left out of CoNLL")
            continue
        if document.text[start].isspace() or document.text[end - 1].isspace():
            problems.append(f"span {span_id} starts or ends with a space; left out")
            continue
        flat.append((start, end, str(body["label"]).replace(" ", "_")))
        last_end = end

    lines = [_HEADER]
    edges = {edge for start, end, _ in flat for edge in (start, end)}
    previous_end = 0
    span_index = 0
    for start, end in _tokens(document.text, edges):
        if "\n" in document.text[previous_end:start] and lines[-1] != _HEADER:
            lines.append("")
        # Tokens and flat spans are both in text order: walk them together.
        while span_index < len(flat) and flat[span_index][1] <= start:
            span_index += 1
        tag = "O"
        if span_index < len(flat) and flat[span_index][0] <= start:
            prefix = "B" if flat[span_index][0] == start else "I"
            tag = f"{prefix}-{flat[span_index][2]}"
        lines.append(f"{document.text[start:end]}\t{start}\t{end}\t{tag}")
        previous_end = end
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    logger.info("CoNLL export: %d spans, %d problems", len(flat), len(problems))
    return problems


def _tokens(text: str, edges: set[int]) -> list[tuple[int, int]]:
    """Split at whitespace and at span edges; offsets in code points."""
    tokens: list[tuple[int, int]] = []
    start: int | None = None
    for index, char in enumerate(text):
        if char.isspace():
            if start is not None:
                tokens.append((start, index))
                start = None
            continue
        if index in edges and start is not None:
            tokens.append((start, index))
            start = None
        if start is None:
            start = index
    if start is not None:
        tokens.append((start, len(text)))
    return tokens


def read_conll(
    path: Path, text: str, *, document_hash: str = "", label_set_version: int = 0
) -> AnnotatedDocument:
    """Read spans back from a file written by :func:`write_conll`.

    Parameters
    ----------
    path
        The .conll file.
    text
        The document's canonical text the offsets refer to.
    document_hash, label_set_version
        Written into the span bodies.

    Returns
    -------
    AnnotatedDocument
        Spans with IDs ``S1``, ``S2``, ... in reading order, no attributes
        set and no code (BIO carries labels only).

    Raises
    ------
    ImportFormatError
        A line is malformed, a token does not match the text at its offsets,
        or an I- tag follows no span of its label (file and line named).
    """
    document = AnnotatedDocument(
        document_hash=document_hash, text=text, title=str(path)
    )
    current: dict[str, Any] | None = None
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        try:
            token, start, end, tag = (
                fields[0],
                int(fields[1]),
                int(fields[2]),
                fields[3],
            )
        except (IndexError, ValueError):
            raise ImportFormatError(
                "expected token, start, end, tag", path=path, line=number
            ) from None
        if text[start:end] != token:
            raise ImportFormatError(
                f"token {token!r} is not the text at {start}-{end}",
                path=path,
                line=number,
            )
        if tag == "O":
            current = None
        elif tag.startswith("B-"):
            current = _new_span(document, tag[2:], start, end, label_set_version)
        elif (
            tag.startswith("I-") and current is not None and current["label"] == tag[2:]
        ):
            current["fragments"][0][1] = end
            current["text"] = text[current["fragments"][0][0] : end]
        else:
            raise ImportFormatError(f"tag {tag!r} out of place", path=path, line=number)
    return document


def _new_span(
    document: AnnotatedDocument, label: str, start: int, end: int, version: int
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "document_hash": document.document_hash,
        "label": label,
        "label_set_version": version,
        "fragments": [[start, end]],
        "text": document.text[start:end],
        "attributes": {
            "negated": False,
            "hypothetical": False,
            "severity": None,
            "seriousness": [],
        },
        "code": None,
    }
    document.spans[f"S{len(document.spans) + 1}"] = body
    return body
