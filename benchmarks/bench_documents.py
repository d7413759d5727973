"""Show page 1 of a 500-page PDF with highlights, and turn pages, against bare PyMuPDF.

The floor, measured in the same run on the same file, is what any PDF viewer
with word selection must at least do with PyMuPDF: open the file, render the
page at the view's zoom and read its words. Ours adds the file's SHA-256 (to
refuse a changed file), the stored canonical form, character boxes in
reading order (``rawdict``), the check that the page still reads as stored,
span boxes for the highlights, and the Qt paint of the page view.

- first page: open a stored document and show page 1 with 12 highlights;
  floor: ``pymupdf.open`` + ``get_pixmap`` + ``get_text("words")`` of page 1;
- page turn: show the next page of an open document with its highlights;
  floor: ``get_pixmap`` + ``get_text("words")`` of that page.

Target: each within 3x its floor.

Run: ``python benchmarks/bench_documents.py [--pages N] [--repeat R]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pymupdf
from PySide6.QtWidgets import QApplication

from viewers.documents.model import (
    CanonicalText,
    Document,
    canonical_form,
    open_document,
)
from viewers.page_view import Highlight, PageView

TARGET = 3.0
ZOOM = 1.5
SENTENCES = (
    "The most common adverse reactions (incidence >= 10%) were nausea, fatigue, "
    "diarrhoea, decreased appetite and peripheral neuropathy. ",
    "Serious adverse reactions occurred in 23% of patients, including febrile "
    "neutropenia, pneumonia and atrial fibrillation. ",
    "Hepatotoxicity: monitor liver function tests before each dose of "
    "5-fluorouracil and doxorubicin. ",
)


def make_pdf(path: Path, pages: int) -> None:
    """Write a two-column drug-label-like PDF with ``pages`` pages."""
    document = pymupdf.open()
    column = "".join(SENTENCES) * 6
    for number in range(pages):
        page = document.new_page(width=595, height=842)
        page.insert_text((56, 50), f"Adverse Reactions, page {number + 1}", fontsize=13)
        page.insert_textbox(pymupdf.Rect(56, 70, 290, 800), column, fontsize=9)
        page.insert_textbox(pymupdf.Rect(305, 70, 540, 800), column, fontsize=9)
    document.save(path, garbage=3, deflate=True)


def median_ms(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``action`` in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def highlights_for(document: Document, page: int) -> list[Highlight]:
    """Twelve highlights on ``page``: the first three matches of four terms."""
    text = document.page(page)
    found = []
    for term in ("nausea", "atrial fibrillation", "doxorubicin", "pneumonia"):
        inside = [
            (start, end)
            for start, end in document.find(term)
            if text.start <= start < text.end
        ]
        found += inside[:3]
    return [
        Highlight(f"span{i}", start, end, "#e4572e")
        for i, (start, end) in enumerate(found)
    ]


def main() -> int:
    """Run both comparisons and print ratios with PASS or MISS."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=15)
    arguments = parser.parse_args()

    application = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "label.pdf"
        make_pdf(path, arguments.pages)
        started = time.perf_counter()
        imported = open_document(path)
        stored = canonical_form(imported).to_bytes()
        import_s = time.perf_counter() - started
        highlights = highlights_for(imported, 0) + highlights_for(imported, 1)
        imported.close()
        print(
            f"{arguments.pages} pages, {path.stat().st_size / 1e6:.1f} MB; import "
            f"(all pages, canonical form {len(stored) / 1e6:.1f} MB) {import_s:.2f} s"
        )

        def floor_first() -> None:
            pdf = pymupdf.open(path)
            page = pdf[0]
            page.get_pixmap(matrix=pymupdf.Matrix(ZOOM, ZOOM), alpha=False)
            page.get_text("words")
            pdf.close()

        def ours_first() -> None:
            document = open_document(path, canonical=CanonicalText.from_bytes(stored))
            view = PageView()
            view.resize(900, 1000)
            view.set_document(document)
            view.set_highlights(highlights)
            view.canvas.grab()
            document.close()

        pdf = pymupdf.open(path)
        floor_pages = iter(range(1, 10_000))

        def floor_turn() -> None:
            page = pdf[next(floor_pages) % arguments.pages]
            page.get_pixmap(matrix=pymupdf.Matrix(ZOOM, ZOOM), alpha=False)
            page.get_text("words")

        document = open_document(path, canonical=CanonicalText.from_bytes(stored))
        view = PageView()
        view.resize(900, 1000)
        view.set_document(document)
        view.set_highlights(highlights)
        our_pages = iter(range(1, 10_000))

        def ours_turn() -> None:
            view.show_page(next(our_pages) % arguments.pages)
            view.canvas.grab()

        results = [
            (
                "show page 1 with highlights",
                median_ms(ours_first, arguments.repeat),
                median_ms(floor_first, arguments.repeat),
            ),
            (
                "next page with highlights",
                median_ms(ours_turn, arguments.repeat),
                median_ms(floor_turn, arguments.repeat),
            ),
        ]
        document.close()
        pdf.close()

    failed = False
    for name, ours, floor in results:
        ratio = ours / floor
        verdict = "PASS" if ratio <= TARGET else "MISS"
        failed |= verdict == "MISS"
        print(
            f"{name}: {ours:.1f} ms vs PyMuPDF floor {floor:.1f} ms = {ratio:.2f}x "
            f"(target {TARGET:g}x) {verdict}"
        )
    del application
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
