"""Plain-text documents: encodings and the line-ending policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewers.documents.errors import DocumentChangedError, DocumentEncodingError
from viewers.documents.model import CanonicalText, canonical_form, open_document

JAPANESE = "副作用：頭痛（ＧＲＡＤＥ２）、悪心。\n投与を中止した。\n"


def test_crlf_becomes_lf_and_maps_back_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(b"Line one\r\nfever and rash\r\nlast\rend")

    document = open_document(path)

    assert document.text == "Line one\nfever and rash\nlast\nend"
    assert document.encoding == "utf-8"
    start = document.text.index("rash")
    original = path.read_bytes().decode("utf-8")
    assert original[document.original_offset(start) :][:4] == "rash"
    assert document.original_offset(start) == start + 1
    assert original[document.original_offset(len(document.text) - 3) :] == "end"
    assert document.span_text([(start, start + 4)]) == "rash"


def test_cp932_file_is_detected_and_full_width_kept(tmp_path: Path) -> None:
    path = tmp_path / "case.txt"
    path.write_bytes(JAPANESE.encode("cp932"))

    document = open_document(path)

    assert document.encoding == "cp932"
    assert document.text == JAPANESE
    assert "ＧＲＡＤＥ２" in document.text
    start = document.text.index("ＧＲＡＤＥ２")
    assert document.find("grade2") == [(start, start + 6)]


def test_utf16_with_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "case16.txt"
    path.write_bytes(JAPANESE.replace("\n", "\r\n").encode("utf-16"))

    document = open_document(path)

    assert document.encoding == "utf-16"
    assert document.text == JAPANESE
    assert document.page_count == 1
    page = document.page(0)
    assert (page.start, page.end, page.words) == (0, len(JAPANESE), ())


def test_utf8_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffnausea 😀".encode())

    document = open_document(path)

    assert (document.text, document.encoding) == ("nausea 😀", "utf-8")


def test_undecodable_bytes_name_the_file_and_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"ok \x81\x7f")

    with pytest.raises(DocumentEncodingError) as caught:
        open_document(path)

    assert caught.value.path == str(path)
    assert caught.value.fields["position"] == 3


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"abc\x00def")

    with pytest.raises(DocumentEncodingError, match="NUL"):
        open_document(path)


def test_stored_text_reopens_and_a_changed_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(b"fever\r\nrash\r\n")
    stored = canonical_form(open_document(path)).to_bytes()

    reopened = open_document(path, canonical=CanonicalText.from_bytes(stored))
    assert reopened.text == "fever\nrash\n"
    assert reopened.original_offset(6) == 7

    path.write_bytes(b"fever\r\nrash and itch\r\n")
    with pytest.raises(DocumentChangedError) as caught:
        open_document(path, canonical=CanonicalText.from_bytes(stored))
    assert caught.value.path == str(path)
