"""``haiops doc inspect|import|open`` and the project side of documents."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pymupdf
import pytest

from app.cli import main
from app.cli_documents import (
    CANONICAL_ASSET_KIND,
    TEXT_ASSET_KIND,
    import_document,
    inspect_json,
    open_item_document,
)
from storage import assets
from storage.items import list_items
from storage.project import create_project, open_project
from viewers.documents.errors import DocumentChangedError

PASSWORD = "correct horse battery staple"


@pytest.fixture
def project_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    folder = tmp_path / "project"
    create_project(
        folder,
        name="PV coding",
        user_id="coder1",
        printed_name="Coder One",
        password=PASSWORD,
    )
    return folder


@pytest.fixture
def report_pdf(tmp_path: Path) -> Path:
    document = pymupdf.open()
    for text in ("Patient developed atrial \ufb01brillation.", "Page two: rash."):
        page = document.new_page(width=595, height=842)
        page.insert_text((72, 72), text, fontname="japan", fontsize=12)
    path = tmp_path / "report.pdf"
    document.save(path)
    return path


def test_inspect_json_describes_pages_without_their_text(
    shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = shared_data / "documents" / "jo_vertical_japanese.pdf"

    assert main(["doc", "inspect", str(path), "--json"]) == 0

    report = json.loads(capsys.readouterr().out)
    assert report["kind"] == "pdf"
    assert report["page_count"] == 1
    assert report["pages"][0]["writing_mode"] == "vertical"
    assert report["pages"][0]["characters"] == report["characters"]
    assert report["pages"][0]["ocr_used"] is False
    assert report["settings"]["pymupdf_version"] == pymupdf.VersionBind
    assert report["settings"]["ocr_languages"] == "eng+jpn"
    assert "わたくし" not in json.dumps(report, ensure_ascii=False)


def test_inspect_reports_annotations_per_page(shared_data: Path) -> None:
    report = inspect_json(shared_data / "documents" / "AdverseEvent_aCRF.pdf")

    assert [page["annotations"] for page in report["pages"]] == [19, 12]
    assert [page["width_pt"] for page in report["pages"]] == [792.0, 792.0]


def test_bad_file_gives_a_two_part_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["doc", "inspect", str(tmp_path / "missing.pdf")]) == 1

    error = capsys.readouterr().err
    assert "missing.pdf was not found" in error


def test_import_keeps_canonical_form_and_reopens_with_same_offsets(
    project_folder: Path, report_pdf: Path
) -> None:
    with open_project(project_folder, user_id="coder1", password=PASSWORD) as project:
        item = import_document(project, report_pdf, title="Case 12")
        source = item.body["source"]
        key = source["document_hash"]
        text = assets.get_asset(project, TEXT_ASSET_KIND, key)
        assert assets.get_asset(project, CANONICAL_ASSET_KIND, key) is not None
        assert [i.body["title"] for i in list_items(project.records, "document")] == [
            "Case 12"
        ]

        document = open_item_document(project, item)

    assert text is not None
    assert document.text == text.decode("utf-8")
    assert document.text == "Patient developed atrial fibrillation.\fPage two: rash."
    assert source["pages"] == 2
    assert document.find("rash") == [(49, 53)]

    pdf = pymupdf.open(report_pdf)
    pdf[0].insert_text((72, 200), "Added after import", fontname="helv")
    pdf.save(report_pdf.with_name("edited.pdf"))
    report_pdf.with_name("edited.pdf").replace(report_pdf)
    with (
        open_project(project_folder, user_id="coder1", password=PASSWORD) as project,
        pytest.raises(DocumentChangedError),
    ):
        open_item_document(project, item)


def test_import_and_open_commands(
    project_folder: Path,
    report_pdf: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    account = ["--project", str(project_folder), "--user", "coder1", "--password-stdin"]
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))

    assert main(["doc", "import", str(report_pdf), *account]) == 0

    out = capsys.readouterr().out
    item_id = out.split()[1].rstrip(":")
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["doc", "open", item_id, "--json", *account]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == {
        "item_id": item_id,
        "content_hash": report["content_hash"],
        "file_matches": True,
        "page_count": 2,
        "characters": 54,
        "spans": 0,
    }


def test_inspect_counts_words_only_for_horizontal_latin_text(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    page.insert_text((72, 72), "患者は発熱した。", fontname="japan", fontsize=12)
    horizontal_japanese = tmp_path / "horizontal_japanese.pdf"
    document.save(horizontal_japanese)

    assert (
        main(
            [
                "doc",
                "inspect",
                str(shared_data / "documents" / "jo_vertical_japanese.pdf"),
            ]
        )
        == 0
    )
    vertical = capsys.readouterr().out.splitlines()
    english = inspect_json(shared_data / "documents" / "AdverseEvent_aCRF.pdf")
    japanese = inspect_json(horizontal_japanese)

    assert vertical[1] == "  page 1: 948 characters, vertical, rotation 0"
    assert [page["words"] for page in english["pages"]] == [126, 115]
    assert japanese["pages"][0]["writing_mode"] == "horizontal"
    assert japanese["pages"][0]["characters"] == 8
    assert japanese["pages"][0]["words"] is None


def test_import_progress_is_one_line_per_step_off_a_terminal(
    project_folder: Path,
    report_pdf: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    account = ["--project", str(project_folder), "--user", "coder1", "--password-stdin"]
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))

    assert main(["doc", "import", str(report_pdf), *account]) == 0

    error = capsys.readouterr().err
    assert "\r" not in error
    assert error.splitlines() == ["page 0 of 2", "page 1 of 2", "page 2 of 2"]
