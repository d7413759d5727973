"""PDF documents: canonical text, words and boxes, OCR, stored offsets."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pymupdf
import pytest

from storage.progress import CancelledError, Progress
from viewers.documents.errors import (
    DocumentChangedError,
    DocumentDamagedError,
    DocumentError,
    DocumentLayoutChangedError,
    DocumentNotFoundError,
    DocumentPageError,
    DocumentSettingsError,
)
from viewers.documents.model import (
    PAGE_SEPARATOR,
    CanonicalText,
    canonical_form,
    open_document,
)


def _close(box: tuple[float, ...], expected: tuple[float, ...]) -> bool:
    return all(abs(a - b) < 0.5 for a, b in zip(box, expected, strict=True))


# -- real documents -----------------------------------------------------------


def test_annotated_crf_opens_with_its_sdtm_annotations(shared_data: Path) -> None:
    document = open_document(shared_data / "documents" / "AdverseEvent_aCRF.pdf")

    assert document.page_count == 2
    notes = document.annotations(0)
    assert notes[0].kind == "FreeText"
    assert notes[0].text == "IT.AETERM"
    assert _close(notes[0].rect, (120.9, 136.5, 201.0, 154.9))
    assert "IT.AESEV" in [note.text for note in notes]
    assert document.text.startswith("Adverse Events\nWhat is the adverse event\nterm?")
    assert document.find("adverse event term") == [(27, 45)]


def test_vertical_japanese_reads_as_columns_right_to_left(shared_data: Path) -> None:
    document = open_document(shared_data / "documents" / "jo_vertical_japanese.pdf")

    page = document.page(0)

    assert page.writing_mode == "vertical"
    lines = document.text.split("\n")
    assert lines[:4] == [
        "\u3000\u3000序",
        "わたくしといふ現象は",
        "假定された有機交流電燈の",
        "ひとつの青い照明です",
    ]
    # The lower band follows the whole upper band.
    assert lines.index("紙と鑛質インクをつらね") < lines.index(
        "けだしわれわれがわれわれの感官や"
    )
    assert lines[-1] == "大正十三年一月廿日\u3000\u3000宮澤賢治"
    start = document.text.index("わたくしといふ現象は")
    boxes = document.span_boxes(start, start + 10)
    assert len(boxes) == 1
    assert _close(boxes[0][1], (660.9, 64.7, 670.5, 160.5))
    # Each kanji and kana is a word, so a drag selects whole characters.
    first_word = next(word for word in page.words if word.start == start)
    assert (first_word.end, document.text[start]) == (start + 1, "わ")


def test_rotated_text_words_have_their_boxes(shared_data: Path) -> None:
    document = open_document(shared_data / "documents" / "rotated_text.pdf")

    page = document.page(0)

    assert document.text == "Test\nVertical\nLayout"
    assert [document.text[w.start : w.end] for w in page.words] == [
        "Test",
        "Vertical",
        "Layout",
    ]
    assert _close(page.words[1].rect, (109.5, 75.8, 120.5, 110.2))
    assert (page.rotation, page.width_pt, page.height_pt) == (0, 612.0, 792.0)


# -- PDFs built here ----------------------------------------------------------


def test_two_columns_read_in_order_with_title_and_footer(two_column_pdf: Path) -> None:
    document = open_document(two_column_pdf)

    text = document.text

    assert text.startswith("Adverse reactions in two columns\nPatients treated")
    assert text.index("left column.") < text.index("The right column")
    assert text.endswith("column\ntext.\nPage footer")


def test_hyphen_kept_and_span_covers_both_lines(two_column_pdf: Path) -> None:
    document = open_document(two_column_pdf)

    [(start, end)] = document.find("5-fluorouracil")
    [(doxo_start, doxo_end)] = document.find("doxorubicin")

    assert document.span_text([(start, end)]) == "5-fluoro-\nuracil"
    assert document.span_text([(doxo_start, doxo_end)]) == "Doxo-\nrubicin"
    boxes = document.span_boxes(start, end)
    assert [page for page, _ in boxes] == [0, 0]
    assert boxes[0][1][1] < boxes[1][1][1]  # second part on the next line
    assert document.span_text([(start, start + 1), (doxo_start, doxo_end)]) == (
        "5 … Doxo-\nrubicin"
    )


def test_ligature_dissolved_and_found(two_column_pdf: Path) -> None:
    document = open_document(two_column_pdf)

    [(start, end)] = document.find("fibrillation")

    assert document.text[start:end] == "fibrillation"
    assert "\ufb01" not in document.text
    word = next(w for w in document.page(0).words if w.start == start)
    assert document.text[word.start : word.end] == "fibrillation."


def test_caller_gives_the_reading_order(two_column_pdf: Path) -> None:
    blocks = pymupdf.open(two_column_pdf)[0].get_text("dict")["blocks"]
    numbers = [block["number"] for block in blocks]
    # Content stream order: title, right column, left column, footer.
    reversed_order = {"0": list(reversed(numbers))}

    document = open_document(two_column_pdf, settings={"reading_order": reversed_order})

    assert document.text.startswith("Page footer\nPatients treated")
    assert document.settings["reading_order"] == reversed_order
    with pytest.raises(DocumentSettingsError, match="no text blocks"):
        open_document(two_column_pdf, settings={"reading_order": {"0": [99]}}).page(0)
    with pytest.raises(DocumentSettingsError):
        open_document(two_column_pdf, settings={"dehyphenate": True})


def test_rotated_page_keeps_unrotated_boxes(rotated_pdf: Path) -> None:
    document = open_document(rotated_pdf)

    page = document.page(0)

    assert page.rotation == 90
    assert document.text == "Hepatic failure"
    assert _close(page.words[0].rect[:1], (72.0,))
    rendered = document.render(0, 1.0)
    # The rendered page is turned: 842 points wide, 595 high.
    assert (rendered.width, rendered.height) == (842, 595)
    x, y = (page.words[0].rect[0], page.words[0].rect[3])
    a, b, c, d, e, f = rendered.matrix
    assert _close((a * x + c * y + e, b * x + d * y + f), (842 - y, x))


def test_page_without_text_layer_is_read_by_ocr(image_only_pdf: Path) -> None:
    document = open_document(image_only_pdf)

    page = document.page(0)

    assert page.ocr_used
    assert document.find("severe headache") != []
    assert document.find("second dose") != []
    [(start, end)] = document.find("nausea")
    [(_, box)] = document.span_boxes(start, end)
    # PyMuPDF's search_for puts the word at 472..592 on the source page (592
    # includes the last letter's advance; OCR boxes end at the ink).
    assert abs(box[0] - 472) < 4
    assert 570 < box[2] < 594
    assert 80 <= box[1] < box[3] <= 106


def test_scanned_columns_are_read_in_order(scanned_two_column_pdf: Path) -> None:
    document = open_document(scanned_two_column_pdf)

    text = document.text

    assert document.page(0).ocr_used
    assert text.startswith("Adverse reactions in two columns\nPatients treated")
    assert text.index("left column.") < text.index("The right column")
    assert text.endswith("Page footer")
    assert document.span_text(document.find("doxorubicin")) == "Doxo-\nrubicin"
    assert document.settings["ocr_languages"] == "eng+jpn"


def test_ocr_page_boxes_are_stored_not_read_again(image_only_pdf: Path) -> None:
    stored = canonical_form(open_document(image_only_pdf)).to_bytes()

    reopened = open_document(image_only_pdf, canonical=CanonicalText.from_bytes(stored))

    assert reopened.page(0).ocr_used
    assert reopened.find("nausea") != []
    assert reopened.span_boxes(*reopened.find("nausea")[0]) != []


def test_first_page_opens_without_extracting_the_rest(long_pdf: Path) -> None:
    document = open_document(long_pdf)

    first = document.page(0)

    assert document.extracted_pages == (0,)
    assert document.text[first.start : first.end] == "Page 1 reports headache."
    third = document.page(2)
    assert document.text[third.start : third.end] == "Page 3 reports headache."
    assert document.text[first.end] == PAGE_SEPARATOR
    assert document.page_of_offset(third.start) == 2


def test_stored_form_keeps_offsets_and_changed_file_is_refused(
    two_column_pdf: Path,
) -> None:
    document = open_document(two_column_pdf)
    form = canonical_form(document)
    stored = form.to_bytes()

    reopened = open_document(two_column_pdf, canonical=CanonicalText.from_bytes(stored))

    assert reopened.text == document.text
    assert reopened.page(0).words == document.page(0).words
    assert reopened.settings["pymupdf_version"] == pymupdf.VersionBind
    assert reopened.content_hash == form.content_hash

    pdf = pymupdf.open(two_column_pdf)
    pdf[0].insert_text((72, 700), "Added later", fontname="helv")
    pdf.save(two_column_pdf.with_name("changed.pdf"))
    two_column_pdf.with_name("changed.pdf").replace(two_column_pdf)
    with pytest.raises(DocumentChangedError) as caught:
        open_document(two_column_pdf, canonical=CanonicalText.from_bytes(stored))
    assert caught.value.path == str(two_column_pdf)


def test_import_reports_progress_and_can_be_cancelled(long_pdf: Path) -> None:
    reports: list[tuple[int, int]] = []

    open_document(long_pdf, progress=Progress(lambda d, t, _: reports.append((d, t))))

    assert reports[0] == (0, 12)
    assert reports[-1] == (12, 12)
    progress = Progress()
    progress.cancel()
    with pytest.raises(CancelledError):
        open_document(long_pdf, progress=progress)


def test_bad_files_and_pages_raise_errors_naming_them(tmp_path: Path) -> None:
    with pytest.raises(DocumentNotFoundError) as missing:
        open_document(tmp_path / "nowhere.pdf")
    assert missing.value.path == str(tmp_path / "nowhere.pdf")

    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n this is not a PDF body")
    with pytest.raises(DocumentDamagedError):
        open_document(broken).page(0)

    text = tmp_path / "short.txt"
    text.write_text("fever")
    with pytest.raises(DocumentPageError) as page_error:
        open_document(text).page(1)
    assert page_error.value.fields["page"] == 2


def test_page_reading_differently_from_the_stored_text_is_reported(
    two_column_pdf: Path,
) -> None:
    form = canonical_form(open_document(two_column_pdf))
    altered = dataclasses.replace(form, text=form.text.replace("nausea", "NAUSEA"))

    document = open_document(two_column_pdf, canonical=altered)

    assert document.text == altered.text  # the stored text stays as it is
    with pytest.raises(DocumentLayoutChangedError) as caught:
        document.page(0)
    assert caught.value.fields["page"] == 1


def test_unreadable_stored_form_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="unreadable"):
        CanonicalText.from_bytes(b'{"format": 1}', path=tmp_path / "a.pdf")
    with pytest.raises(DocumentError, match="canonical form 9"):
        CanonicalText.from_bytes(b'{"format": 9}', path=tmp_path / "a.pdf")
    path = tmp_path / "a.txt"
    path.write_text("fever and rash")
    stored = canonical_form(open_document(path)).to_bytes()
    assert stored.endswith(b"\nfever and rash")
    with pytest.raises(DocumentError, match="cut: 10 of 14"):
        CanonicalText.from_bytes(stored[:-4], path=path)
