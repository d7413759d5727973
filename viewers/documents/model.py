r"""Documents (PDF and plain text) with one canonical text whose offsets never move.

Offsets are Unicode code points into the canonical text (Python string
indices). Qt's UTF-16 positions are converted only in
:mod:`viewers.documents.offsets`.

The canonical text of a PDF is its pages' texts (built as described in
:mod:`viewers.documents.layout`) joined by one FORM FEED (U+000C), which
belongs to no page: ``text[page.end] == "\\f"`` for every page but the last.
A plain-text file is one page holding the whole text with LF line ends (see
:mod:`viewers.documents.text_files`; :meth:`Document.original_offset` maps
back to the file's own line ends). Boxes are in page points, unrotated page
space, origin at the top left, y down.

At import, :func:`canonical_form` gives what the project stores: the text, the
page offsets, the extraction settings (PyMuPDF version included) and the
file's SHA-256. Opened again with that stored form, the document keeps the
stored text whatever PyMuPDF would read now; a file whose bytes changed is
refused with :class:`DocumentChangedError`, never re-anchored.
"""

# mypy: disable-error-code="no-untyped-call"
# (PyMuPDF annotates only part of its API; its calls are checked by the tests.)

from __future__ import annotations

import bisect
import gc
import hashlib
import json
import logging
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pymupdf

from storage.progress import Progress
from viewers.documents import layout as layout_module
from viewers.documents import search
from viewers.documents.errors import (
    DocumentChangedError,
    DocumentDamagedError,
    DocumentEncryptedError,
    DocumentError,
    DocumentLayoutChangedError,
    DocumentNotFoundError,
    DocumentPageError,
    DocumentSettingsError,
)
from viewers.documents.layout import PageLayout, Rect
from viewers.documents.text_files import (
    LineEndings,
    decode_text,
    normalise_line_endings,
)

__all__ = [
    "DEFAULT_SETTINGS",
    "FRAGMENT_SEPARATOR",
    "PAGE_SEPARATOR",
    "CanonicalText",
    "Document",
    "DocumentChangedError",
    "DocumentError",
    "PageText",
    "PdfAnnotation",
    "RenderedPage",
    "Word",
    "canonical_form",
    "document_from_text",
    "open_document",
]

logger = logging.getLogger(__name__)

PAGE_SEPARATOR = "\f"
"""Joins the pages' texts in the canonical text of a PDF."""

FRAGMENT_SEPARATOR = " … "
"""Joins the fragments of a discontinuous span in :meth:`Document.span_text`."""

CANONICAL_FORMAT = 1
"""Version of the stored canonical form (:meth:`CanonicalText.to_bytes`)."""

DEFAULT_SETTINGS: Mapping[str, Any] = {
    "ocr": "auto",  # "auto": pages with images and no text; "always"; "never"
    "ocr_languages": "eng+jpn",
    "ocr_dpi": 300,
    "column_detection": True,
    "reading_order": {},  # {"<0-based page>": [PyMuPDF block numbers in order]}
}
"""Extraction settings a caller may change; the rest are recorded, not chosen."""

_RECORDED = {
    "pymupdf_version": pymupdf.VersionBind,
    "mupdf_version": pymupdf.VersionFitz,
    "flags": layout_module.EXTRACTION_FLAGS,
    "ligatures": "dissolved",
    "hyphenation": "kept, not joined",
    "line_endings": "LF; CRLF and CR become LF",
    "page_separator": "U+000C",
    "offsets": "code points",
}
_OCR_MODES = ("auto", "always", "never")
_PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class Word:
    """A word on a page: its offsets in the canonical text and its box.

    Attributes
    ----------
    start, end
        Code-point offsets into the document's canonical text.
    page
        0-based page number.
    rect
        ``(x0, y0, x1, y1)`` in page points, unrotated page space.
    """

    start: int
    end: int
    page: int
    rect: Rect


@dataclass(frozen=True)
class PageText:
    """One page of a document: where its text lies and its words.

    Attributes
    ----------
    number
        0-based page number.
    start, end
        Offsets of the page's text in the canonical text.
    rotation
        Page rotation in degrees, clockwise (boxes stay unrotated).
    writing_mode
        ``"horizontal"`` or ``"vertical"``.
    ocr_used
        Whether Tesseract read the page.
    width_pt, height_pt
        Unrotated page size in points (0 for plain-text files).
    words
        The page's words in reading order; empty for plain-text files.
    """

    number: int
    start: int
    end: int
    rotation: int
    writing_mode: str
    ocr_used: bool
    width_pt: float
    height_pt: float
    words: tuple[Word, ...]


@dataclass(frozen=True)
class PdfAnnotation:
    """An annotation drawn on a PDF page by its author (for example SDTM names).

    Attributes
    ----------
    page
        0-based page number.
    kind
        PyMuPDF's annotation type name (``"FreeText"``, ``"Highlight"``, ...).
    text
        The annotation's text content.
    rect
        Its box in page points, unrotated page space.
    """

    page: int
    kind: str
    text: str
    rect: Rect


@dataclass(frozen=True)
class RenderedPage:
    """A page rendered to RGB pixels, rotated as the page is shown.

    Attributes
    ----------
    width, height, stride
        Size in pixels and bytes per row.
    samples
        RGB bytes, 3 per pixel, rows top to bottom.
    matrix
        ``(a, b, c, d, e, f)``: maps unrotated page points to these pixels.
    """

    width: int
    height: int
    stride: int
    samples: bytes
    matrix: tuple[float, float, float, float, float, float]


@dataclass(frozen=True)
class StoredPage:
    """The stored facts of one page in the canonical form."""

    start: int
    end: int
    rotation: int
    writing_mode: str
    ocr_used: bool
    width_pt: float
    height_pt: float


@dataclass(frozen=True)
class CanonicalText:
    """What the project stores per document so that offsets never move.

    Attributes
    ----------
    kind
        ``"pdf"`` or ``"text"``.
    content_hash
        SHA-256 hex of the file's bytes.
    encoding
        Text files: ``"utf-8"``, ``"utf-16"`` or ``"cp932"``; None for PDF.
    settings
        The extraction settings, the recorded ones included.
    text
        The canonical text.
    pages
        Per page: offsets, rotation, writing mode, OCR use and size.
    crlf
        Canonical offsets of line ends that were CRLF in a text file.
    ocr_boxes
        For pages read by OCR (which may not read the same twice), the box of
        each character, keyed by 0-based page number.
    """

    kind: str
    content_hash: str
    encoding: str | None
    settings: Mapping[str, Any]
    text: str
    pages: tuple[StoredPage, ...]
    crlf: tuple[int, ...] = ()
    ocr_boxes: Mapping[int, tuple[Rect | None, ...]] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        """Serialise for storage: a JSON header line, then the text in UTF-8.

        The header is UTF-8 JSON with sorted keys on one line (no text); the
        canonical text follows the first LF as it is, so reading it back
        needs no JSON parsing of the text.
        """
        header = {
            "format": CANONICAL_FORMAT,
            "kind": self.kind,
            "content_hash": self.content_hash,
            "encoding": self.encoding,
            "settings": dict(self.settings),
            "characters": len(self.text),
            "pages": [
                [
                    *(p.start, p.end, p.rotation, p.writing_mode, p.ocr_used),
                    *(p.width_pt, p.height_pt),
                ]
                for p in self.pages
            ],
            "crlf": list(self.crlf),
            "ocr_boxes": {
                str(number): [
                    None if box is None else [round(v, 2) for v in box] for box in boxes
                ]
                for number, boxes in self.ocr_boxes.items()
            },
        }
        line = json.dumps(
            header, ensure_ascii=True, sort_keys=True, separators=(",", ":")
        )
        return line.encode("ascii") + b"\n" + self.text.encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes, *, path: Path | None = None) -> CanonicalText:
        """Read a form written by :meth:`to_bytes`.

        Parameters
        ----------
        data
            The stored bytes.
        path
            The document the form belongs to, named in errors.

        Raises
        ------
        DocumentError
            If the bytes are not a canonical form this version reads.
        """
        try:
            head, _, tail = data.partition(b"\n")
            body = json.loads(head.decode("ascii"))
            text = tail.decode("utf-8")
            if body["format"] != CANONICAL_FORMAT:
                raise DocumentError(
                    f"canonical form {body['format']} is not {CANONICAL_FORMAT}",
                    path=path,
                )
            pages = tuple(
                StoredPage(int(a), int(b), int(r), str(m), bool(o), float(w), float(h))
                for a, b, r, m, o, w, h in body["pages"]
            )
            ocr_boxes = {
                int(number): tuple(
                    None if box is None else (box[0], box[1], box[2], box[3])
                    for box in boxes
                )
                for number, boxes in body["ocr_boxes"].items()
            }
            form = cls(
                kind=str(body["kind"]),
                content_hash=str(body["content_hash"]),
                encoding=body["encoding"],
                settings=dict(body["settings"]),
                text=text,
                pages=pages,
                crlf=tuple(int(i) for i in body["crlf"]),
                ocr_boxes=ocr_boxes,
            )
            expected = int(body["characters"])
        except (ValueError, KeyError, TypeError) as error:
            raise DocumentError(
                f"stored canonical text unreadable: {error}", path=path
            ) from error
        if len(form.text) != expected:
            raise DocumentError(
                f"stored canonical text cut: {len(form.text)} of {expected}", path=path
            )
        return form


class Document:
    """An opened PDF or text file with its canonical text.

    Create it with :func:`open_document`. Pages are extracted when first asked
    for and kept; the whole text is built on first need. Safe to use from a
    background thread and the GUI thread at once (one lock guards PyMuPDF).

    Attributes
    ----------
    path
        The file.
    kind
        ``"pdf"`` or ``"text"``.
    content_hash
        SHA-256 hex of the file's bytes.
    encoding
        Text files: ``"utf-8"``, ``"utf-16"`` or ``"cp932"``; None for PDF.
    settings
        The extraction settings, including the recorded PyMuPDF version and
        flags, OCR languages and the line-ending policy.
    page_count
        The number of pages (1 for a text file).
    """

    def __init__(
        self,
        path: Path,
        *,
        kind: str,
        content_hash: str,
        encoding: str | None,
        settings: dict[str, Any],
        pdf: pymupdf.Document | None,
        text_layout: PageLayout | None,
        line_endings: LineEndings,
        canonical: CanonicalText | None,
    ) -> None:
        self.path = path
        self.kind = kind
        self.content_hash = content_hash
        self.encoding = encoding
        self.settings = settings
        self.line_endings = line_endings
        self._pdf = pdf
        self._canonical = canonical
        self._lock = threading.RLock()
        self._layouts: dict[int, PageLayout] = {}
        self._pages: dict[int, PageText] = {}
        self._text: str | None = None
        self._normalised: tuple[str, list[int]] | None = None
        if text_layout is not None:
            self._layouts[0] = text_layout
        if canonical is not None:
            self._text = canonical.text
        self.page_count = 1 if pdf is None else pdf.page_count

    # -- text and pages -------------------------------------------------------

    @property
    def text(self) -> str:
        """The canonical text (pages joined by ``PAGE_SEPARATOR``)."""
        if self._text is None:
            self.extract_all()
        assert self._text is not None
        return self._text

    def extract_all(self, progress: Progress | None = None) -> None:
        """Extract every page and build the canonical text (the import step).

        Parameters
        ----------
        progress
            Told after each page; cancelling stops between pages.
        """
        started = time.perf_counter()
        for number in range(self.page_count):
            if progress is not None:
                progress.report(number, self.page_count, "page")
            self._layout(number)
        with self._lock:
            if self._text is None:
                self._text = PAGE_SEPARATOR.join(
                    self._layouts[n].text for n in range(self.page_count)
                )
        if progress is not None:
            progress.report(self.page_count, self.page_count, "page")
        logger.info(
            "document %s: %d pages, %d characters in %.0f ms",
            self.content_hash[:12],
            self.page_count,
            len(self._text),
            (time.perf_counter() - started) * 1000,
        )

    @property
    def extracted_pages(self) -> tuple[int, ...]:
        """The 0-based numbers of the pages extracted so far, in order."""
        with self._lock:
            return tuple(sorted(self._layouts))

    def page(self, number: int) -> PageText:
        """Return page ``number`` (0-based) with its offsets and words.

        Only this page and, on a first import, the pages before it (whose
        lengths fix this page's offsets) are extracted.

        Raises
        ------
        DocumentPageError
            If there is no such page.
        DocumentLayoutChangedError
            If the page now reads differently from the stored canonical text.
        """
        self._check_page(number)
        with self._lock:
            cached = self._pages.get(number)
            if cached is not None:
                return cached

            start, end = self._page_range(number)
            layout = self._layout(number)
            if self._canonical is not None and layout.text != self.text[start:end]:
                raise DocumentLayoutChangedError(
                    "re-extracted page text differs",
                    path=self.path,
                    page=number + 1,
                    found=pymupdf.VersionBind,
                    expected=self.settings.get("pymupdf_version"),
                )
            words = _words(layout, start, number)
            page = PageText(
                number=number,
                start=start,
                end=end,
                rotation=layout.rotation,
                writing_mode=layout.writing_mode,
                ocr_used=layout.ocr_used,
                width_pt=layout.width_pt,
                height_pt=layout.height_pt,
                words=words,
            )
            self._pages[number] = page
            return page

    def _check_page(self, number: int) -> None:
        """Refuse a page number outside the document."""
        if not 0 <= number < self.page_count:
            raise DocumentPageError(
                f"page index {number}",
                path=self.path,
                page=number + 1,
                count=self.page_count,
            )

    def _page_range(self, number: int) -> tuple[int, int]:
        """Offsets of a page's text: stored, or from the pages before it."""
        if self._canonical is not None:
            stored = self._canonical.pages[number]
            return stored.start, stored.end
        start = 0
        for before in range(number):
            start += len(self._layout(before).text) + len(PAGE_SEPARATOR)
        return start, start + len(self._layout(number).text)

    def _layout(self, number: int) -> PageLayout:
        """Return the page's layout, extracting it on first use."""
        with self._lock:
            cached = self._layouts.get(number)
            if cached is not None:
                return cached
            assert self._pdf is not None
            if self._canonical is not None and number in self._canonical.ocr_boxes:
                stored = self._canonical.pages[number]
                layout = layout_module.layout_from_boxes(
                    self._canonical.text[stored.start : stored.end],
                    self._canonical.ocr_boxes[number],
                    rotation=stored.rotation,
                    writing_mode=stored.writing_mode,
                    ocr_used=True,
                    width_pt=stored.width_pt,
                    height_pt=stored.height_pt,
                )
            else:
                with _collector_paused():
                    layout = layout_module.extract_page(
                        self._pdf[number], self.settings, path=self.path
                    )
            self._layouts[number] = layout
            return layout

    # -- spans ---------------------------------------------------------------

    def span_text(self, fragments: Sequence[tuple[int, int]]) -> str:
        """Return a span's text: its fragments joined by ``FRAGMENT_SEPARATOR``.

        A continuous span (one fragment) gives exactly ``text[start:end]``; a
        discontinuous one gives each fragment's text joined by " … ".

        Raises
        ------
        ValueError
            If a fragment is empty, reversed or outside the text.
        """
        text = self.text
        for start, end in fragments:
            if not 0 <= start < end <= len(text):
                raise ValueError(f"fragment {start}..{end} outside 0..{len(text)}")
        return FRAGMENT_SEPARATOR.join(text[start:end] for start, end in fragments)

    def span_boxes(self, start: int, end: int) -> list[tuple[int, Rect]]:
        """Return the boxes covering ``text[start:end]``, one per line piece.

        Returns
        -------
        list[tuple[int, Rect]]
            ``(page, (x0, y0, x1, y1))`` in page points, unrotated page space,
            in reading order; empty for plain-text files.
        """
        if self.kind != "pdf" or end <= start:
            return []
        result: list[tuple[int, Rect]] = []
        for number in self._pages_overlapping(start, end):
            page = self.page(number)
            boxes = self._layout(number).boxes
            run: list[Rect] = []
            for index in range(max(start, page.start), min(end, page.end)):
                box = boxes[index - page.start]
                if box is None:
                    if run:
                        result.append((number, _union(run)))
                    run = []
                else:
                    run.append(box)
            if run:
                result.append((number, _union(run)))
        return result

    def _pages_overlapping(self, start: int, end: int) -> list[int]:
        """Page numbers whose text overlaps ``start..end``."""
        if self._canonical is not None:
            starts = [page.start for page in self._canonical.pages]
        else:
            starts = [self.page(n).start for n in range(self.page_count)]
        first = max(0, bisect.bisect_right(starts, start) - 1)
        last = max(0, bisect.bisect_left(starts, end) - 1)
        return list(range(first, last + 1))

    def page_of_offset(self, index: int) -> int:
        """Return the 0-based page whose text holds offset ``index``."""
        return self._pages_overlapping(index, index + 1)[0]

    def find(self, term: str) -> list[tuple[int, int]]:
        """Find ``term`` (NFKC, case folded, ligatures dissolved; see ``search``)."""
        text = self.text
        with self._lock:
            if self._normalised is None:
                self._normalised = search.normalise_for_matching(text)
            normalised = self._normalised
        return search.find(text, term, normalised=normalised)

    def original_offset(self, index: int) -> int:
        """Map a canonical offset of a text file back to the decoded file's text.

        PDF offsets are returned unchanged.
        """
        return self.line_endings.original_offset(index)

    # -- PDF extras ----------------------------------------------------------

    def annotations(self, page: int) -> list[PdfAnnotation]:
        """Return the PDF annotations of a page (for example SDTM variable names)."""
        self._check_page(page)
        if self._pdf is None:
            return []
        with self._lock:
            return [
                PdfAnnotation(
                    page=page,
                    kind=str(annot.type[1]),
                    text=str(annot.info.get("content", "")),
                    rect=tuple(annot.rect),
                )
                for annot in self._pdf[page].annots()
            ]

    def render(self, page: int, zoom: float) -> RenderedPage:
        """Render a page to RGB pixels at ``zoom`` pixels per point.

        Raises
        ------
        DocumentPageError
            If there is no such page, or the document is a text file.
        """
        self._check_page(page)
        if self._pdf is None:
            raise DocumentPageError(
                "text files have no page image",
                path=self.path,
                page=page + 1,
                count=self.page_count,
            )
        with self._lock:
            pdf_page = self._pdf[page]
            matrix = pdf_page.rotation_matrix * pymupdf.Matrix(zoom, zoom)
            pixmap = pdf_page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
            return RenderedPage(
                width=pixmap.width,
                height=pixmap.height,
                stride=pixmap.stride,
                samples=bytes(pixmap.samples),
                matrix=(matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f),
            )

    def close(self) -> None:
        """Release the PDF; the document cannot extract further pages after it."""
        with self._lock:
            if self._pdf is not None:
                self._pdf.close()
                self._pdf = None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block.

    ``rawdict`` makes tens of thousands of small objects per page; the
    collector scanning them again and again costs about as much as the
    extraction itself. None of them form cycles, so nothing is left behind.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _words(layout: PageLayout, start: int, number: int) -> tuple[Word, ...]:
    """Return the words of a page layout with boxes, offsets moved by ``start``."""
    if not layout.boxes:
        return ()
    # A word lies on one straight line (it never holds a line end, the only
    # character without a box), so its first and last boxes span it.
    boxes = layout.boxes
    words = []
    for a, b in layout_module.word_ranges(layout.text):
        first, last = boxes[a], boxes[b - 1]
        assert first is not None
        assert last is not None
        rect = (
            min(first[0], last[0]),
            min(first[1], last[1]),
            max(first[2], last[2]),
            max(first[3], last[3]),
        )
        words.append(Word(start + a, start + b, number, rect))
    return tuple(words)


def _union(boxes: Sequence[Rect | None]) -> Rect:
    """Return the smallest box around the given boxes (None entries ignored)."""
    x0, y0, x1, y1 = zip(*(box for box in boxes if box is not None), strict=True)
    return min(x0), min(y0), max(x1), max(y1)


def open_document(
    path: Path,
    *,
    settings: Mapping[str, Any] | None = None,
    canonical: CanonicalText | None = None,
    progress: Progress | None = None,
) -> Document:
    """Open a PDF or text file.

    Parameters
    ----------
    path
        The file. PDF is recognised by its ``%PDF-`` header, anything else is
        read as text.
    settings
        Extraction settings to change (keys of :data:`DEFAULT_SETTINGS`);
        recorded keys from an earlier :attr:`Document.settings` are accepted
        and replaced. Ignored when ``canonical`` is given.
    canonical
        The form stored at import: its text, page offsets and settings are
        used as they are.
    progress
        When given (an import), every page is extracted now, reporting here;
        otherwise pages are extracted when first asked for.

    Returns
    -------
    Document
        The opened document.

    Raises
    ------
    DocumentNotFoundError, DocumentDamagedError, DocumentEncryptedError,
    DocumentEncodingError, DocumentSettingsError
        If the file cannot be read as asked.
    DocumentChangedError
        If ``canonical`` was stored for other bytes than the file now holds.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DocumentNotFoundError(str(error), path=path) from error
    content_hash = hashlib.sha256(data).hexdigest()
    if canonical is not None and canonical.content_hash != content_hash:
        raise DocumentChangedError(
            "SHA-256 differs",
            path=path,
            found=content_hash[:12],
            expected=canonical.content_hash[:12],
        )
    chosen = (
        dict(canonical.settings) if canonical else _checked_settings(settings, path)
    )

    if data[:1024].lstrip().startswith(_PDF_MAGIC) or (
        canonical is not None and canonical.kind == "pdf"
    ):
        document = _open_pdf(path, data, content_hash, chosen, canonical)
    else:
        document = _open_text(path, data, content_hash, chosen, canonical)

    if progress is not None:
        document.extract_all(progress)
    return document


def _checked_settings(settings: Mapping[str, Any] | None, path: Path) -> dict[str, Any]:
    """Defaults overlaid with the caller's settings, checked, recorded keys added."""
    chosen: dict[str, Any] = {**DEFAULT_SETTINGS, "reading_order": {}}
    for key, value in (settings or {}).items():
        if key in _RECORDED:
            continue
        if key not in DEFAULT_SETTINGS:
            raise DocumentSettingsError(f"unknown key {key!r}", path=path, setting=key)
        chosen[key] = value

    if chosen["ocr"] not in _OCR_MODES:
        raise DocumentSettingsError(f"ocr={chosen['ocr']!r}", path=path, setting="ocr")
    order = chosen["reading_order"]
    if not isinstance(order, Mapping) or not all(
        isinstance(blocks, list) and all(isinstance(b, int) for b in blocks)
        for blocks in order.values()
    ):
        raise DocumentSettingsError(
            "reading_order must map page numbers to lists of block numbers",
            path=path,
            setting="reading_order",
        )
    chosen["reading_order"] = {
        str(page): list(blocks) for page, blocks in order.items()
    }
    chosen.update(_RECORDED)
    return chosen


def _open_pdf(
    path: Path,
    data: bytes,
    content_hash: str,
    settings: dict[str, Any],
    canonical: CanonicalText | None,
) -> Document:
    """Open PDF bytes (kept in memory, so the pages match the hashed bytes)."""
    try:
        pdf = pymupdf.open(stream=data, filetype="pdf")
    except (pymupdf.FileDataError, RuntimeError, ValueError) as error:
        raise DocumentDamagedError(str(error), path=path) from error
    if pdf.needs_pass:
        pdf.close()
        raise DocumentEncryptedError("password needed", path=path)
    if canonical is not None and len(canonical.pages) != pdf.page_count:
        pdf.close()
        raise DocumentChangedError(
            "page count differs",
            path=path,
            found=content_hash[:12],
            expected=canonical.content_hash[:12],
        )
    logger.info("PDF %s opened: %d pages", content_hash[:12], pdf.page_count)
    return Document(
        path,
        kind="pdf",
        content_hash=content_hash,
        encoding=None,
        settings=settings,
        pdf=pdf,
        text_layout=None,
        line_endings=LineEndings(),
        canonical=canonical,
    )


def _open_text(
    path: Path,
    data: bytes,
    content_hash: str,
    settings: dict[str, Any],
    canonical: CanonicalText | None,
) -> Document:
    """Decode a text file and normalise its line ends (see ``text_files``)."""
    decoded, encoding = decode_text(data, path)
    text, line_endings = normalise_line_endings(decoded)
    if canonical is not None and canonical.text != text:
        raise DocumentChangedError(
            "decoded text differs",
            path=path,
            found=content_hash[:12],
            expected=canonical.content_hash[:12],
        )
    layout = _text_layout(text)
    logger.info(
        "text %s opened: %s, %d characters", content_hash[:12], encoding, len(text)
    )
    return Document(
        path,
        kind="text",
        content_hash=content_hash,
        encoding=encoding,
        settings=settings,
        pdf=None,
        text_layout=layout,
        line_endings=line_endings,
        canonical=canonical,
    )


def document_from_text(text: str, *, name: str) -> Document:
    """Make a text document from a canonical text kept without its file.

    Used for texts that came into a project as text (a TAC 2017 label
    section): the content hash is the SHA-256 of the text's UTF-8 bytes.

    Parameters
    ----------
    text
        The canonical text (LF line ends).
    name
        What the document is called in messages (no file is read).

    Returns
    -------
    Document
        A one-page text document.
    """
    # The text is taken as it is (no line-end change), so stored offsets fit.
    return Document(
        Path(name),
        kind="text",
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        encoding="utf-8",
        settings=_checked_settings(None, Path(name)),
        pdf=None,
        text_layout=_text_layout(text),
        line_endings=LineEndings(),
        canonical=None,
    )


def _text_layout(text: str) -> PageLayout:
    """Return the single page of a text document: no boxes, no page size."""
    return PageLayout(
        text=text,
        boxes=(),
        rotation=0,
        writing_mode="horizontal",
        ocr_used=False,
        width_pt=0.0,
        height_pt=0.0,
    )


def canonical_form(doc: Document) -> CanonicalText:
    """Return what the project stores for ``doc`` (extracting every page first).

    Parameters
    ----------
    doc
        An opened document.

    Returns
    -------
    CanonicalText
        Text, page offsets, settings, hash and, for OCR pages, character boxes;
        :meth:`CanonicalText.to_bytes` gives the bytes to store.
    """
    text = doc.text
    pages = tuple(
        StoredPage(
            start=page.start,
            end=page.end,
            rotation=page.rotation,
            writing_mode=page.writing_mode,
            ocr_used=page.ocr_used,
            width_pt=page.width_pt,
            height_pt=page.height_pt,
        )
        for page in (doc.page(n) for n in range(doc.page_count))
    )
    ocr_boxes = {
        page_number: doc._layout(page_number).boxes
        for page_number, stored in enumerate(pages)
        if stored.ocr_used
    }
    return CanonicalText(
        kind=doc.kind,
        content_hash=doc.content_hash,
        encoding=doc.encoding,
        settings=dict(doc.settings),
        text=text,
        pages=pages,
        crlf=doc.line_endings.collapsed,
        ocr_boxes=ocr_boxes,
    )
