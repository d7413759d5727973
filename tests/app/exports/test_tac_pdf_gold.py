"""TAC 2017 gold mentions found again in PDFs of the labels (text layer and OCR)."""

# mypy: disable-error-code="no-untyped-call"
# (PyMuPDF annotates only part of its API; its calls are checked by the tests.)

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pymupdf
import pytest

from app.exports.gold_alignment import (
    GoldAligner,
    GoldAlignmentError,
    align_gold,
    import_gold_into_document,
    label_source_text,
)
from app.exports.tac2017 import TacLabel, read_tac2017
from viewers.documents.model import open_document

# DejaVu Sans (Debian's fonts-dejavu-core), embedded in each PDF, as a real
# label's font would be.
FONT = "dejavu"
FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_SIZE = 9.0
LINE_HEIGHT = 1.25
LEADING = FONT_SIZE * LINE_HEIGHT
PAGE_WIDTH, PAGE_HEIGHT = 595.0, 842.0
TOP, LINES_PER_PAGE = 60.0, 56
ONE_COLUMN = (72.0, 300.0)  # x0 and width in page points
TWO_COLUMNS = ((60.0, 220.0), (315.0, 220.0))
# A line-end hyphen the layout keeps: "hepa-" / "tic" in the PDF, "hepatic" in XML.
LINE_END_HYPHEN = re.compile(r"(?<=\w)-[ \t]*[\n\f]\s*(?=\w)")


@dataclass
class Rendered:
    path: Path
    source: str
    pages: int
    two_column_pages: int
    hyphenated: int


def render_label(label: TacLabel, path: Path) -> Rendered:
    """Write the label's sections to a PDF: wrapped lines, every third page in two
    columns, pages cut by line count (so page breaks fall inside mentions)."""
    source, _ = label_source_text(label)
    font = pymupdf.Font(fontfile=FONT_FILE)
    pieces = _pieces(source)

    document = pymupdf.open()
    hyphenated = number = index = two_column_pages = 0
    while index < len(pieces):
        page = document.new_page(width=PAGE_WIDTH, height=PAGE_HEIGHT)
        columns = TWO_COLUMNS if number % 3 == 2 else (ONE_COLUMN,)
        two_column_pages += len(columns) == 2
        for x0, width in columns:
            lines, index, count = _fill(pieces, index, width, font)
            hyphenated += count
            if not lines:
                continue
            # insert_text keeps the lines as wrapped here (insert_textbox
            # would wrap again with its own measure of the font).
            page.insert_text(
                (x0, TOP),
                "\n".join(lines),
                fontname=FONT,
                fontfile=FONT_FILE,
                fontsize=FONT_SIZE,
                lineheight=LINE_HEIGHT,
            )
            assert TOP + LEADING * len(lines) < PAGE_HEIGHT - 36, (path.name, number)
        number += 1
    document.save(path, garbage=3, deflate=True)
    return Rendered(path, source, number, two_column_pages, hyphenated)


_ADVANCES: dict[str, float] = {}


def _text_width(text: str, font: pymupdf.Font) -> float:
    """Width in page points at FONT_SIZE (PyMuPDF's text_length is slow per call)."""
    total = 0.0
    for char in text:
        advance = _ADVANCES.get(char)
        if advance is None:
            advance = _ADVANCES[char] = float(font.glyph_advance(ord(char)))
        total += advance
    return total * FONT_SIZE


def _pieces(source: str) -> list[str]:
    """Words of the source, with "" standing for a paragraph end."""
    pieces: list[str] = []
    for paragraph in source.split("\n"):
        pieces.extend(paragraph.split())
        pieces.append("")
    return pieces


def _fill(
    pieces: list[str], index: int, width: float, font: pymupdf.Font
) -> tuple[list[str], int, int]:
    """Take up to LINES_PER_PAGE wrapped lines from ``pieces[index:]``."""
    lines: list[str] = []
    line = ""
    hyphenated = 0

    def fits(candidate: str) -> bool:
        return _text_width(candidate, font) <= width

    while index < len(pieces) and len(lines) < LINES_PER_PAGE:
        word = pieces[index]
        if word == "":
            if line:
                lines.append(line)
                line = ""
            index += 1
            continue
        candidate = f"{line} {word}" if line else word
        if fits(candidate):
            line = candidate
            index += 1
            continue
        if len(word) >= 10 and word.isalpha():
            cut = next(
                (
                    c
                    for c in range(len(word) - 4, 3, -1)
                    if fits(f"{line} {word[:c]}-" if line else f"{word[:c]}-")
                ),
                None,
            )
            if cut is not None:
                lines.append(f"{line} {word[:cut]}-" if line else f"{word[:cut]}-")
                hyphenated += 1
                pieces[index] = word[cut:]
                line = ""
                continue
        if line:
            lines.append(line)
            line = ""
        else:
            lines.append(word)
            index += 1
    if line:
        lines.append(line)
    return lines, index, hyphenated


def normalised(text: str) -> str:
    """Whitespace collapsed to single spaces, line-end hyphens joined."""
    return " ".join(LINE_END_HYPHEN.sub("", text).split())


@pytest.fixture(scope="module")
def tac_files(shared_data: Path) -> list[Path]:
    return sorted((shared_data / "tac2017_adr").glob("*.xml"))


def test_every_gold_mention_is_found_in_the_rendered_pdfs(
    tac_files: list[Path], tmp_path: Path
) -> None:
    assert len(tac_files) == 20
    checked = discontinuous = across_pages = across_lines = hyphen_inside = 0
    two_column_pages = hyphenated = 0
    for path in tac_files:
        label = read_tac2017(path)
        rendered = render_label(label, tmp_path / f"{path.stem}.pdf")
        hyphenated += rendered.hyphenated
        two_column_pages += rendered.two_column_pages
        document = open_document(rendered.path, settings={"ocr": "never"})
        text = document.text
        assert text.count("\f") == rendered.pages - 1, path.name
        # Every non-space character found again, in order: no text lost or
        # read out of column order; only the hyphens added at line ends differ.
        aligner = GoldAligner(rendered.source, text)
        assert (aligner.unmapped, aligner.skipped_hyphens) == (
            0,
            rendered.hyphenated,
        ), path.name

        bodies = import_gold_into_document(
            label, text, document_hash=document.content_hash
        )
        assert len(bodies) == len(label.mentions), path.name
        for body in bodies:
            fragments = [(s, e) for s, e in body["fragments"]]
            found = " ".join(text[s:e] for s, e in fragments)
            assert normalised(found) == " ".join(body["text"].split()), (
                path.name,
                body["source_id"],
                found,
            )
            assert body["gold"] is True
            checked += 1
            discontinuous += len(fragments) > 1
            across_pages += "\f" in found
            across_lines += "\n" in found
            hyphen_inside += LINE_END_HYPHEN.search(found) is not None
        document.close()

    assert checked == 2855
    assert discontinuous == 202
    # The layout really did move the mentions about: page breaks, line breaks
    # and line-end hyphens inside mentions, and pages in two columns.
    assert (across_pages, across_lines, hyphen_inside) == (3, 252, 79)
    assert (hyphenated, two_column_pages) == (371, 24)


def test_unmappable_mention_is_named() -> None:
    source = "Patients reported hepatic failure and nausea."
    canonical = "Patients reported hepa-\ntic\ffailure and\nvomiting."
    assert align_gold(source, canonical, [(18, 33)], mention="M1") == [(18, 35)]
    with pytest.raises(GoldAlignmentError) as caught:
        align_gold(source, canonical, [(38, 44)], mention="M7")
    assert "M7" in str(caught.value)
    aligner = GoldAligner(source, canonical)
    assert aligner.skipped_hyphens == 1
    with pytest.raises(GoldAlignmentError):
        aligner.map_fragments([(5, 5)], mention="M2")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def test_ocr_of_a_scanned_label_finds_the_gold_words(
    tac_files: list[Path], tmp_path: Path
) -> None:
    path = next(p for p in tac_files if p.stem == "DATSCAN")
    label = read_tac2017(path)
    rendered = render_label(label, tmp_path / "datscan.pdf")
    source_pdf = pymupdf.open(rendered.path)
    scanned = pymupdf.open()
    for number in range(source_pdf.page_count):
        page = source_pdf[number]
        pixmap = page.get_pixmap(dpi=300)
        image_page = scanned.new_page(width=page.rect.width, height=page.rect.height)
        image_page.insert_image(image_page.rect, pixmap=pixmap)
    scan_path = tmp_path / "datscan_scanned.pdf"
    scanned.save(scan_path)
    check = pymupdf.open(scan_path)
    assert all(not check[n].get_text().strip() for n in range(check.page_count))

    document = open_document(
        scan_path, settings={"ocr": "auto", "ocr_languages": "eng"}
    )
    ocr_words = set(_words(document.text))
    assert all(document.page(n).ocr_used for n in range(document.page_count))
    gold_words = [w for m in label.mentions for w in _words(m.text)]
    found = sum(w in ocr_words for w in gold_words)
    share = 100.0 * found / len(gold_words)
    assert len(gold_words) == 30
    assert share >= 95.0, f"{found} of {len(gold_words)} gold words = {share:.1f}%"
