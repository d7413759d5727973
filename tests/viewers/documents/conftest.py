"""PDFs built at test time with PyMuPDF and a real font, with known text."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

# PyMuPDF's built-in CJK font (Droid Sans Fallback): Latin, kana, kanji and the
# U+FB01 ligature glyph, so no font file of the machine is needed.
FONT = "japan"

LEFT_COLUMN = (
    "Patients treated with 5-fluoro-\nuracil reported nausea and atrial "
    "\ufb01brillation. Doxo-\nrubicin was stopped in two patients. Line four "
    "of the left column."
)
RIGHT_COLUMN = (
    "The right column starts here and continues with hepatic failure in one "
    "case. Other events were mild. This is the end of the right column text."
)


def build_two_column_pdf(path: Path) -> Path:
    """A page with a title, two columns of paragraphs and a footer."""
    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    page.insert_text(
        (72, 60), "Adverse reactions in two columns", fontname=FONT, fontsize=14
    )
    # The right column is written first: the content stream's order is wrong.
    page.insert_textbox(
        pymupdf.Rect(310, 80, 525, 400), RIGHT_COLUMN, fontname=FONT, fontsize=11
    )
    page.insert_textbox(
        pymupdf.Rect(72, 80, 290, 400), LEFT_COLUMN, fontname=FONT, fontsize=11
    )
    page.insert_text((72, 800), "Page footer", fontname=FONT, fontsize=9)
    document.save(path)
    return path


@pytest.fixture
def two_column_pdf(tmp_path: Path) -> Path:
    """The two-column page with a hyphenated drug name and a ligature."""
    return build_two_column_pdf(tmp_path / "two_columns.pdf")


@pytest.fixture
def long_pdf(tmp_path: Path) -> Path:
    """Twelve pages, each saying its own number."""
    document = pymupdf.open()
    for number in range(12):
        page = document.new_page(width=595, height=842)
        page.insert_text(
            (72, 72), f"Page {number + 1} reports headache.", fontname=FONT, fontsize=12
        )
    path = tmp_path / "long.pdf"
    document.save(path)
    return path


@pytest.fixture
def rotated_pdf(tmp_path: Path) -> Path:
    """A page with words written unrotated, then the page turned by 90 degrees."""
    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    page.insert_text((72, 100), "Hepatic failure", fontname=FONT, fontsize=12)
    page.set_rotation(90)
    path = tmp_path / "rotated.pdf"
    document.save(path)
    return path


def image_only_copy(source: pymupdf.Document, path: Path) -> Path:
    """Render each page to a 200 dpi image and keep only the images."""
    document = pymupdf.open()
    for page in source:
        pixmap = page.get_pixmap(dpi=200)
        image_page = document.new_page(width=page.rect.width, height=page.rect.height)
        image_page.insert_image(image_page.rect, pixmap=pixmap)
    document.save(path)
    return path


@pytest.fixture
def scanned_two_column_pdf(tmp_path: Path) -> Path:
    """The two-column page as a scan: an image without a text layer."""
    source = pymupdf.open(build_two_column_pdf(tmp_path / "source.pdf"))
    return image_only_copy(source, tmp_path / "scanned_columns.pdf")


@pytest.fixture
def image_only_pdf(tmp_path: Path) -> Path:
    """A page of text rendered to an image and placed on a page without text."""
    source = pymupdf.open()
    page = source.new_page(width=595, height=842)
    page.insert_text(
        (72, 100), "Severe headache and nausea", fontname=FONT, fontsize=20
    )
    page.insert_text((72, 140), "after the second dose", fontname=FONT, fontsize=20)
    return image_only_copy(source, tmp_path / "scanned.pdf")
