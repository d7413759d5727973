"""Text and character boxes of one PDF page in reading order, through PyMuPDF.

How a page's text is built (the canonical policy; it never changes for a
stored document, because the settings are stored beside the text):

- Characters come from PyMuPDF's ``rawdict`` with whitespace kept and text
  clipped to the media box; every character keeps its box in page points,
  unrotated page space (origin top left, y down), whatever the page rotation.
- Lines end with one LF. Lines holding only whitespace are dropped; trailing
  whitespace of a line is dropped; leading whitespace is kept as written.
- Ligatures (U+FB00 to U+FB06) are dissolved into their letters, each letter
  taking an equal share of the ligature's box.
- A hyphen at a line end stays, and the two parts are not joined: a drug name
  such as "5-fluoro-" / "uracil" keeps its own hyphen, and a span may cover
  both lines. :func:`viewers.documents.search.find` matches across such breaks.
- Full-width letters and digits are kept as written (NFKC is for matching only).
- Horizontal text: blocks are cut into rows along horizontal gaps, and rows
  into columns along vertical gaps of at least 8 points (a recursive XY cut);
  consecutive rows with the same column gaps are read as one set of columns.
  Only paragraphs make columns (blocks of three lines or more on average):
  form labels beside their answers are read row by row. Inside a row without
  columns PyMuPDF's order (the content stream's) is kept. The caller may give
  the order of blocks per page (``settings["reading_order"]``).
- Vertical text (writing mode 1, where PyMuPDF reports one glyph per line):
  glyphs are gathered into columns by their horizontal centre, columns are cut
  where the vertical gap exceeds one and a half glyph heights, cut pieces are
  grouped into bands by vertical overlap, and each band is read top band first,
  columns right to left, each column top to bottom as one line.
- A page without any text whose settings allow it is read by Tesseract OCR.
"""

# mypy: disable-error-code="no-untyped-call"
# (PyMuPDF annotates only part of its API; its calls are checked by the tests.)

from __future__ import annotations

import itertools
import logging
import os
import re
import shutil
import statistics
import subprocess
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf

from viewers.documents.errors import DocumentSettingsError, OcrUnavailableError

__all__ = [
    "EXTRACTION_FLAGS",
    "PageLayout",
    "Rect",
    "extract_page",
    "layout_from_boxes",
    "word_ranges",
]

logger = logging.getLogger(__name__)

Rect = tuple[float, float, float, float]

# Whitespace kept (spaces are part of the text), text outside the media box
# dropped, ligatures not preserved (MuPDF then expands most of them itself).
EXTRACTION_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP

LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}

# Code points read one character at a time: kana, CJK ideographs and
# punctuation, full-width punctuation, half-width katakana.
_ONE_CHARACTER_WORDS = (
    (0x3001, 0x30FF),  # U+3000, the ideographic space, separates words
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF01, 0xFF0F),
    (0xFF1A, 0xFF20),
    (0xFF3B, 0xFF40),
    (0xFF5B, 0xFF9F),
    (0x20000, 0x3FFFF),
)
_MIN_COLUMN_GAP = 8.0  # page points between columns of text
# Columns are paragraphs: their blocks average this many lines. Form labels
# and answer boxes side by side have fewer and are read row by row.
_MIN_COLUMN_LINES = 3

_Glyph = tuple[str, Rect]


@dataclass(frozen=True)
class PageLayout:
    """The text of one page with a box per character, in page-local offsets.

    Attributes
    ----------
    text
        The page's text, lines ending with LF except the last.
    boxes
        One entry per code point of ``text``: its box in page points,
        unrotated page space, or None for a line end.
    rotation
        The page's rotation in degrees (0, 90, 180, 270), clockwise.
    writing_mode
        ``"horizontal"`` or ``"vertical"``.
    ocr_used
        Whether the text came from Tesseract.
    width_pt, height_pt
        The unrotated page size in points.
    """

    text: str
    boxes: tuple[Rect | None, ...]
    rotation: int
    writing_mode: str
    ocr_used: bool
    width_pt: float
    height_pt: float


_ONE_CHARACTER_CLASS = "".join(
    f"\\U{low:08x}-\\U{high:08x}" for low, high in _ONE_CHARACTER_WORDS
)
_LIGATURE = re.compile("[" + "".join(LIGATURES) + "]")
_WORD = re.compile(f"[{_ONE_CHARACTER_CLASS}]|[^\\s{_ONE_CHARACTER_CLASS}]+")


def is_one_character_word(char: str) -> bool:
    """Whether ``char`` is read as a word of its own (Japanese and Chinese)."""
    code = ord(char)
    return any(low <= code <= high for low, high in _ONE_CHARACTER_WORDS)


def word_ranges(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into words: runs of non-space, CJK characters one by one.

    Parameters
    ----------
    text
        Any text.

    Returns
    -------
    list[tuple[int, int]]
        ``(start, end)`` code-point offsets of each word, in order.
    """
    return [match.span() for match in _WORD.finditer(text)]


def extract_page(
    page: pymupdf.Page, settings: Mapping[str, Any], *, path: Path
) -> PageLayout:
    """Read one page's text and character boxes by the module's policy.

    Parameters
    ----------
    page
        The PyMuPDF page.
    settings
        The document's complete extraction settings (see
        :data:`viewers.documents.model.DEFAULT_SETTINGS`).
    path
        The document file, named in errors.

    Returns
    -------
    PageLayout
        The page's text and boxes.

    Raises
    ------
    OcrUnavailableError
        If the page needs OCR and Tesseract or its languages are missing.
    DocumentSettingsError
        If the page's reading order in the settings names unknown blocks.
    """
    raw = page.get_text("rawdict", flags=int(settings["flags"]))
    ocr_used = False
    if _needs_ocr(page, raw, str(settings["ocr"])):
        raw = _ocr_rawdict(page, settings, path=path)
        ocr_used = True

    blocks = [block for block in raw["blocks"] if block.get("type") == 0]
    if ocr_used:
        blocks = _ocr_blocks(blocks)
    vertical = [line for block in blocks for line in block["lines"] if line["wmode"]]
    horizontal_blocks = [
        {**block, "lines": [line for line in block["lines"] if not line["wmode"]]}
        for block in blocks
    ]
    vertical_count = sum(len(_glyphs(line)) for line in vertical)
    horizontal_count = sum(
        len(_glyphs(line)) for block in horizontal_blocks for line in block["lines"]
    )

    # Known shortcoming: horizontal lines on a vertical page (a running head)
    # are read after all vertical columns, wherever they stand.
    lines = _vertical_lines(vertical)
    order = _reading_order(page.number, horizontal_blocks, settings, path=path)
    lines += [_glyphs(line) for block in order for line in block["lines"]]

    text, boxes = _join_lines(lines)
    mediabox = page.mediabox
    return PageLayout(
        text=text,
        boxes=tuple(boxes),
        rotation=int(page.rotation),
        writing_mode="vertical" if vertical_count > horizontal_count else "horizontal",
        ocr_used=ocr_used,
        width_pt=float(mediabox.width),
        height_pt=float(mediabox.height),
    )


def layout_from_boxes(
    text: str,
    boxes: Sequence[Sequence[float] | None],
    *,
    rotation: int,
    writing_mode: str,
    ocr_used: bool,
    width_pt: float,
    height_pt: float,
) -> PageLayout:
    """Rebuild a stored page layout (an OCR page kept in the canonical form)."""
    return PageLayout(
        text=text,
        boxes=tuple(
            None if box is None else (box[0], box[1], box[2], box[3]) for box in boxes
        ),
        rotation=rotation,
        writing_mode=writing_mode,
        ocr_used=ocr_used,
        width_pt=width_pt,
        height_pt=height_pt,
    )


def _glyphs(line: dict[str, Any]) -> list[_Glyph]:
    """Return the characters of one PyMuPDF line with their boxes (kept in it)."""
    glyphs: list[_Glyph] | None = line.get("glyphs")
    if glyphs is None:
        glyphs = [
            (char["c"], char["bbox"])
            for span in line["spans"]
            for char in span["chars"]
        ]
        line["glyphs"] = glyphs
    return glyphs


def _needs_ocr(page: pymupdf.Page, raw: Mapping[str, Any], mode: str) -> bool:
    """Whether the page is to be read by OCR under the ``ocr`` setting."""
    if mode == "never":
        return False
    if mode == "always":
        return True
    has_text = any(
        not char["c"].isspace()
        for block in raw["blocks"]
        if block.get("type") == 0
        for line in block["lines"]
        for span in line["spans"]
        for char in span["chars"]
    )
    return not has_text and bool(page.get_images(full=False))


def tessdata_folder() -> Path | None:
    """Return Tesseract's language folder, or None when Tesseract is missing."""
    prefix = os.environ.get("TESSDATA_PREFIX")
    if prefix and Path(prefix).is_dir():
        return Path(prefix)
    executable = shutil.which("tesseract")
    if executable is None:
        return None
    # `tesseract --list-langs` names its folder on the first line.
    result = subprocess.run(  # noqa: S603 -- fixed arguments, executable from PATH
        [executable, "--list-langs"], capture_output=True, text=True, check=False
    )
    found = re.search(r'"([^"]+)"', result.stdout + result.stderr)
    return Path(found.group(1)) if found else None


def _ocr_rawdict(
    page: pymupdf.Page, settings: Mapping[str, Any], *, path: Path
) -> dict[str, Any]:
    """Run Tesseract on the page and return its text as a ``rawdict``."""
    languages = str(settings["ocr_languages"])
    tessdata = tessdata_folder()
    missing = [
        language
        for language in languages.split("+")
        if tessdata is None or not (tessdata / f"{language}.traineddata").is_file()
    ]
    if missing:
        raise OcrUnavailableError(
            f"missing: {', '.join(missing)}",
            path=path,
            page=page.number + 1,
            languages=languages,
        )

    textpage = page.get_textpage_ocr(
        flags=int(settings["flags"]),
        language=languages,
        dpi=int(settings["ocr_dpi"]),
        full=True,
        tessdata=str(tessdata),
    )
    logger.info("OCR of page %d with %s", page.number + 1, languages)
    result: dict[str, Any] = page.get_text("rawdict", textpage=textpage)
    return result


def _ocr_blocks(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rebuild lines and paragraphs from OCR output, which gives a line per word."""
    words = [line for block in blocks for line in block["lines"] if _glyphs(line)]
    words.sort(key=lambda line: line["bbox"][1])

    # Rows: words whose vertical centre lies within the row's first word.
    rows: list[list[dict[str, Any]]] = []
    for word in words:
        centre = (word["bbox"][1] + word["bbox"][3]) / 2
        if rows and rows[-1][0]["bbox"][1] <= centre <= rows[-1][0]["bbox"][3]:
            rows[-1].append(word)
        else:
            rows.append([word])

    # Lines: a row cut where words stand further apart than 1.5 line heights
    # and 2.5 times the usual word gap (fonts with wide spaces exist).
    for row in rows:
        row.sort(key=lambda word: word["bbox"][0])
    gaps = [
        right["bbox"][0] - left["bbox"][2]
        for row in rows
        for left, right in itertools.pairwise(row)
    ]
    usual_gap = statistics.median(gaps) if gaps else 0.0
    pieces = [piece for row in rows for piece in _cut_row(row, usual_gap, ())]
    # A left edge shared by three lines or more is a column's edge: cut rows
    # there too when the column gap is narrower than the rule above needs.
    edges = Counter(round(piece[0]["bbox"][0] / 3) for piece in pieces)
    column_edges = tuple(3 * edge for edge, count in edges.items() if count >= 3)
    lines = [
        _ocr_line(piece)
        for row in rows
        for piece in _cut_row(row, usual_gap, column_edges)
    ]

    # Paragraphs: lines overlapping horizontally less than a line height apart.
    paragraphs: list[list[dict[str, Any]]] = []
    for line in sorted(lines, key=lambda line: line["bbox"][1]):
        x0, y0, x1, y1 = line["bbox"]
        for paragraph in paragraphs:
            lx0, _, lx1, ly1 = paragraph[-1]["bbox"]
            if x0 < lx1 and lx0 < x1 and 0 <= y0 - ly1 < (y1 - y0):
                paragraph.append(line)
                break
        else:
            paragraphs.append([line])
    return [
        {
            "type": 0,
            "number": number,
            "bbox": _union([line["bbox"] for line in paragraph]),
            "lines": paragraph,
        }
        for number, paragraph in enumerate(paragraphs)
    ]


def _cut_row(
    row: list[dict[str, Any]], usual_gap: float, column_edges: tuple[float, ...]
) -> list[list[dict[str, Any]]]:
    """Cut a row of OCR words where a gap is too wide or a column edge begins."""
    height = max(word["bbox"][3] - word["bbox"][1] for word in row)
    limit = max(1.5 * height, 2.5 * usual_gap)
    pieces = [[row[0]]]
    for word in row[1:]:
        gap = word["bbox"][0] - pieces[-1][-1]["bbox"][2]
        at_edge = gap > usual_gap and any(
            abs(word["bbox"][0] - edge) <= 3 for edge in column_edges
        )
        if gap > limit or at_edge:
            pieces.append([])
        pieces[-1].append(word)
    return pieces


def _ocr_line(words: list[dict[str, Any]]) -> dict[str, Any]:
    """One line of OCR words, a space (boxed by the gap) between two words."""
    chars: list[dict[str, Any]] = []
    for index, word in enumerate(words):
        if index:
            previous = words[index - 1]["bbox"]
            gap = (
                previous[2],
                word["bbox"][1],
                max(previous[2], word["bbox"][0]),
                word["bbox"][3],
            )
            chars.append({"c": " ", "bbox": gap})
        chars += [{"c": char, "bbox": box} for char, box in _glyphs(word)]
    return {
        "wmode": 0,
        "bbox": _union([word["bbox"] for word in words]),
        "spans": [{"chars": chars}],
    }


def _union(boxes: Sequence[Sequence[float]]) -> Rect:
    """Return the smallest box around the given boxes."""
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


def _reading_order(
    number: int,
    blocks: list[dict[str, Any]],
    settings: Mapping[str, Any],
    *,
    path: Path,
) -> list[dict[str, Any]]:
    """Order the horizontal text blocks: the caller's order, else by columns."""
    blocks = [block for block in blocks if _has_text(block)]
    given = settings["reading_order"].get(str(number))
    if given is not None:
        by_number = {int(block["number"]): block for block in blocks}
        unknown = [index for index in given if index not in by_number]
        if unknown:
            raise DocumentSettingsError(
                f"page {number + 1} has no text blocks {unknown}",
                path=path,
                setting="reading_order",
            )
        rest = [block for block in blocks if int(block["number"]) not in given]
        return [by_number[index] for index in given] + rest

    if not settings["column_detection"]:
        return blocks
    return _by_columns(blocks)


def _has_text(block: Mapping[str, Any]) -> bool:
    """Whether a block holds a character other than whitespace."""
    return any(
        not char.isspace() for line in block["lines"] for char, _ in _glyphs(line)
    )


def _by_columns(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Order blocks by a recursive cut along gaps: rows first, then columns.

    Consecutive rows cut by the same column gap are read as one set of columns,
    so paragraph gaps that line up across columns do not interleave them.
    """
    if len(blocks) < 2:
        return blocks
    rows = _split(blocks, axis=1, min_gap=0.0)
    if len(rows) == 1:
        columns = _columns(blocks)
        if columns is None:
            return blocks
        return [block for column in columns for block in _by_columns(column)]

    ordered: list[dict[str, Any]] = []
    run: list[list[dict[str, Any]]] = [rows[0]]
    for row in [*rows[1:], []]:
        if row and _same_gaps(run[-1], row):
            run.append(row)
            continue
        merged = [block for part in run for block in part]
        columns = _columns(merged) if len(run) > 1 else None
        if columns is None:
            ordered += [block for part in run for block in _by_columns(part)]
        else:
            ordered += [block for column in columns for block in _by_columns(column)]
        run = [row]
    return ordered


def _split(
    blocks: list[dict[str, Any]], *, axis: int, min_gap: float
) -> list[list[dict[str, Any]]]:
    """Group blocks separated by gaps of at least ``min_gap`` along ``axis``."""
    ordered = sorted(blocks, key=lambda block: block["bbox"][axis])
    groups: list[list[dict[str, Any]]] = [[ordered[0]]]
    end = ordered[0]["bbox"][axis + 2]
    for block in ordered[1:]:
        if block["bbox"][axis] - end >= min_gap:
            groups.append([])
        groups[-1].append(block)
        end = max(end, block["bbox"][axis + 2])
    # Keep PyMuPDF's order inside each group: it follows the content stream.
    position = {id(block): index for index, block in enumerate(blocks)}
    return [sorted(group, key=lambda block: position[id(block)]) for group in groups]


def _columns(blocks: list[dict[str, Any]]) -> list[list[dict[str, Any]]] | None:
    """Split blocks into columns, or None when they are not paragraph columns."""
    columns = _split(blocks, axis=0, min_gap=_MIN_COLUMN_GAP)
    if len(columns) < 2:
        return None
    for column in columns:
        lines = sum(_text_lines(block) for block in column)
        if lines < _MIN_COLUMN_LINES * len(column):
            return None
    return columns


def _same_gaps(upper: list[dict[str, Any]], lower: list[dict[str, Any]]) -> bool:
    """Whether two rows have column gaps at the same places."""
    gaps_upper = _gaps(upper)
    gaps_lower = _gaps(lower)
    return (
        bool(gaps_upper)
        and len(gaps_upper) == len(gaps_lower)
        and all(
            a0 < b1 and b0 < a1
            for (a0, a1), (b0, b1) in zip(gaps_upper, gaps_lower, strict=True)
        )
    )


def _gaps(blocks: list[dict[str, Any]]) -> list[tuple[float, float]]:
    """Return the horizontal gaps of at least ``_MIN_COLUMN_GAP`` between blocks."""
    intervals = sorted((block["bbox"][0], block["bbox"][2]) for block in blocks)
    gaps: list[tuple[float, float]] = []
    end = intervals[0][1]
    for x0, x1 in intervals[1:]:
        if x0 - end >= _MIN_COLUMN_GAP:
            gaps.append((end, x0))
        end = max(end, x1)
    return gaps


def _text_lines(block: Mapping[str, Any]) -> int:
    """Count the lines of a block that hold more than whitespace."""
    return sum(
        1
        for line in block["lines"]
        if any(not char.isspace() for char, _ in _glyphs(line))
    )


def _vertical_lines(lines: list[dict[str, Any]]) -> list[list[_Glyph]]:
    """Rebuild vertical columns from glyphs reported one per line."""
    glyphs = [glyph for line in lines for glyph in _glyphs(line)]
    if not glyphs:
        return []
    height = statistics.median(box[3] - box[1] for _, box in glyphs) or 1.0
    width = statistics.median(box[2] - box[0] for _, box in glyphs) or 1.0

    # Columns: glyphs whose horizontal centres lie within half a glyph width.
    columns: list[list[_Glyph]] = []
    for glyph in sorted(glyphs, key=lambda glyph: -(glyph[1][0] + glyph[1][2])):
        centre = (glyph[1][0] + glyph[1][2]) / 2
        if columns:
            last = columns[-1][0][1]
            if abs((last[0] + last[2]) / 2 - centre) <= width / 2:
                columns[-1].append(glyph)
                continue
        columns.append([glyph])

    # Pieces: a column cut where the gap is wider than 1.5 glyph heights.
    pieces: list[list[_Glyph]] = []
    for column in columns:
        column.sort(key=lambda glyph: glyph[1][1])
        piece = [column[0]]
        for glyph in column[1:]:
            if glyph[1][1] - piece[-1][1][3] > 1.5 * height:
                pieces.append(piece)
                piece = []
            piece.append(glyph)
        pieces.append(piece)
    pieces = [piece for piece in pieces if any(not c.isspace() for c, _ in piece)]

    # Bands: pieces overlapping vertically, read top band first.
    pieces.sort(key=lambda piece: piece[0][1][1])
    bands: list[list[list[_Glyph]]] = []
    band_end = float("-inf")
    for piece in pieces:
        top, bottom = piece[0][1][1], piece[-1][1][3]
        if not bands or top >= band_end:
            bands.append([])
            band_end = bottom
        band_end = max(band_end, bottom)
        bands[-1].append(piece)
    return [
        piece
        for band in bands
        for piece in sorted(band, key=lambda piece: -(piece[0][1][0] + piece[0][1][2]))
    ]


def _join_lines(lines: list[list[_Glyph]]) -> tuple[str, list[Rect | None]]:
    """Join lines with LF: ligatures dissolved, blank lines and end spaces dropped."""
    parts: list[str] = []
    boxes: list[Rect | None] = []
    for glyphs in lines:
        end = len(glyphs)
        while end and glyphs[end - 1][0].isspace():
            end -= 1
        if not end:
            continue
        if parts:
            parts.append("\n")
            boxes.append(None)
        chars, line_boxes = zip(*glyphs[:end], strict=True)
        parts.append("".join(chars))
        boxes += line_boxes
    text = "".join(parts)
    if _LIGATURE.search(text):
        return _dissolve_ligatures(text, boxes)
    return text, boxes


def _dissolve_ligatures(
    text: str, boxes: list[Rect | None]
) -> tuple[str, list[Rect | None]]:
    """Replace each ligature by its letters, sharing its box along the line."""
    chars: list[str] = []
    result: list[Rect | None] = []
    for char, box in zip(text, boxes, strict=True):
        letters = LIGATURES.get(char)
        if letters is None or box is None:
            chars.append(char)
            result.append(box)
            continue
        x0, y0, x1, y1 = box
        share = (x1 - x0) / len(letters)
        chars.append(letters)
        result += [
            (x0 + i * share, y0, x0 + (i + 1) * share, y1) for i in range(len(letters))
        ]
    return "".join(chars), result
