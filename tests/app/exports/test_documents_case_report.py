from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.exports import brat, sdtm
from app.exports.documents import (
    TEXT_ASSET_KIND,
    AnnotatedDocument,
    document_texts_from_project,
    documents_from_project,
    read_jsonl,
    write_jsonl,
)
from app.terminology.meddra import MeddraTerminology, load_meddra, rank_with_history
from app.terminology.suggest import suggest_spans
from viewers.documents.model import open_document


@pytest.fixture(scope="module")
def meddra(shared_data: Path) -> MeddraTerminology:
    return load_meddra(shared_data / "terminology" / "meddra_synthetic", version="27.0")


@pytest.fixture
def report_file(shared_data: Path, tmp_path: Path) -> Path:
    """Case report 16 of crade.csv (dermatomyositis), the report part only."""
    with (shared_data / "ja_case_reports" / "crade.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    question = rows[15]["question"]
    report = question.split("\n", 1)[1].removeprefix("「").removesuffix("」")
    path = tmp_path / "case16.txt"
    path.write_bytes(report.encode("utf-8"))
    return path


def _annotate(
    text: str, document_hash: str, meddra: MeddraTerminology
) -> dict[str, Any]:
    """What a coder does: accept the dictionary's suggestions, add a drug span."""
    spans: dict[str, Any] = {}
    for number, suggestion in enumerate(suggest_spans(text, meddra), start=1):
        severe = text[suggestion.start - 3 : suggestion.start] == "強度の"
        spans[f"s{number}"] = {
            "document_hash": document_hash,
            "label": "AE",
            "label_set_version": 1,
            "fragments": [[suggestion.start, suggestion.end]],
            "text": text[suggestion.start : suggestion.end],
            "attributes": {
                "negated": False,
                "hypothetical": False,
                "severity": "severe" if severe else None,
                "seriousness": [],
            },
            "code": meddra.code_for(suggestion.llt_code),
        }
    drug = text.index("Ｐｒｅｄｏｎｉｎ")
    spans["drug"] = {
        "document_hash": document_hash,
        "label": "Drug",
        "label_set_version": 1,
        # The drug and its dose as one discontinuous span.
        "fragments": [[drug, drug + 8], [drug + 9, drug + 13]],
        "text": text[drug : drug + 8] + " " + text[drug + 9 : drug + 13],
        "attributes": {
            "negated": False,
            "hypothetical": False,
            "severity": None,
            "seriousness": [],
        },
        "code": None,
    }
    return spans


def test_case_report_annotated_coded_exported_and_round_tripped(
    report_file: Path, meddra: MeddraTerminology, tmp_path: Path
) -> None:
    document = open_document(report_file)
    text = document.text
    spans = _annotate(text, document.content_hash, meddra)
    assert [
        (b["text"], b["code"]["llt_code"]) for b in spans.values() if b["code"]
    ] == [
        ("倦怠感", 95000012),
        ("頭痛", 95000005),
    ]
    assert spans["s2"]["attributes"]["severity"] == "severe"
    assert spans["drug"]["text"] == "Ｐｒｅｄｏｎｉｎ ５０ｍｇ"

    annotated = AnnotatedDocument(
        document.content_hash, text, spans=spans, title="case 16", subject="CR-016"
    )
    annotated.relations = [{"type": "causes", "from": "drug", "to": "s2"}]

    write_jsonl([annotated], tmp_path / "case.jsonl")
    assert read_jsonl(tmp_path / "case.jsonl") == [annotated]

    brat.write_brat(annotated, tmp_path / "case16")
    again = brat.read_brat(tmp_path / "case16", document_hash=document.content_hash)
    assert again.spans == annotated.spans
    assert again.relations == annotated.relations
    ann = (tmp_path / "case16.ann").read_text(encoding="utf-8")
    start = text.index("Ｐｒｅｄｏｎｉｎ")
    assert f"T3\tDrug {start} {start + 8};{start + 9} {start + 13}\t" in ann

    rows, problems = sdtm.ae_rows([annotated], study_id="CRADE")
    assert [r["AEDECOD"] for r in rows] == ["Fatigue", "Headache"]
    assert sdtm.write_xpt(rows, tmp_path / "ae.xpt") == [
        "AE CR-016 AESEQ 1: AETERM not ASCII or over 200 characters; in the CSV only",
        "AE CR-016 AESEQ 2: AETERM not ASCII or over 200 characters; in the CSV only",
    ]
    assert problems == []


def test_history_puts_earlier_coding_first(meddra: MeddraTerminology) -> None:
    results = meddra.search("けんたい") + meddra.search("ひろう")
    assert [r.llt_code for r in results] == [95000012, 95000011]
    history = [{"text": "倦怠感", "code": {"llt_code": 95000011}}]
    ranked = rank_with_history(results, "倦怠感", history)
    assert [r.llt_code for r in ranked] == [95000011, 95000012]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from storage.project import create_project, open_project

    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    folder = tmp_path / "pv"
    create_project(
        folder,
        name="PV",
        user_id="coder1",
        printed_name="C. Oder",
        password="Ume-plum 7 Kyoto",
    )
    session = open_project(folder, user_id="coder1", password="Ume-plum 7 Kyoto")
    try:
        yield session
    finally:
        session.close()


def test_spans_read_from_a_project(
    report_file: Path, meddra: MeddraTerminology, project: Any, tmp_path: Path
) -> None:
    from storage import assets
    from storage.items import add_item

    document = open_document(report_file)
    assets.put_asset(
        project, TEXT_ASSET_KIND, document.content_hash, document.text.encode("utf-8")
    )
    ids = {}
    for key, body in _annotate(document.text, document.content_hash, meddra).items():
        ids[key] = project.records.create("span", body).record_id
    project.records.create(
        "relation", {"type": "causes", "from": ids["drug"], "to": ids["s2"]}
    )

    add_item(
        project.records,
        "document",
        "Case 16",
        {"document_hash": document.content_hash, "subject": "CR-016"},
    )
    texts = document_texts_from_project(project)
    assert texts == {document.content_hash: document.text}
    documents = documents_from_project(project)
    assert len(documents) == 1
    assert (documents[0].title, documents[0].subject) == ("Case 16", "CR-016")
    assert sorted(b["text"] for b in documents[0].spans.values()) == [
        "倦怠感",
        "頭痛",
        "Ｐｒｅｄｏｎｉｎ ５０ｍｇ",
    ]
    assert documents[0].relations == [
        {"type": "causes", "from": ids["drug"], "to": ids["s2"]}
    ]
    write_jsonl(documents, tmp_path / "project.jsonl")
    assert read_jsonl(tmp_path / "project.jsonl") == documents
