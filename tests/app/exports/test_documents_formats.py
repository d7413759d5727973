from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pyreadstat
import pytest

from app.exports import brat, conll, fhir, sdtm
from app.exports.document_errors import DocumentExportError, ImportFormatError
from app.exports.documents import (
    AnnotatedDocument,
    export_documents,
    read_jsonl,
    write_jsonl,
)
from app.terminology.meddra import MeddraTerminology, load_meddra

# An emoji and U+20BB7 (outside the BMP) before the spans: code points, not UTF-16.
TEXT = "😀𠮷 Nausea and severe headache.\nNo vomiting; maybe fatigue. 倦怠感あり。"


@pytest.fixture(scope="module")
def meddra(shared_data: Path) -> MeddraTerminology:
    return load_meddra(shared_data / "terminology" / "meddra_synthetic", version="27.0")


def _span(
    fragments: list[list[int]], code: dict[str, Any] | None, **attributes: Any
) -> dict[str, Any]:
    return {
        "document_hash": "hash-1",
        "label": "AE",
        "label_set_version": 2,
        "fragments": fragments,
        "text": " ".join(TEXT[s:e] for s, e in fragments),
        "attributes": {
            "negated": False,
            "hypothetical": False,
            "severity": None,
            "seriousness": [],
            **attributes,
        },
        "code": code,
    }


@pytest.fixture
def document(meddra: MeddraTerminology) -> AnnotatedDocument:
    assert TEXT[3:9] == "Nausea"
    assert TEXT[21:29] == "headache"
    doc = AnnotatedDocument("hash-1", TEXT, title="report 1", subject="STUDY1-0001")
    doc.spans = {
        "span-nausea": _span([[3, 9]], meddra.code_for(95000001), severity="mild"),
        "span-headache": _span(
            [[21, 29]],
            meddra.code_for(95000005),
            severity="severe",
            seriousness=["hospitalisation", "other_medically_important"],
        ),
        "span-vomiting": _span([[34, 42]], meddra.code_for(95000003), negated=True),
        "span-fatigue": _span([[50, 57]], meddra.code_for(95000011), hypothetical=True),
        "span-jp": _span([[59, 62]], meddra.code_for(95000012)),
        # "Nausea ... headache" as one discontinuous mention, not coded.
        "span-both": _span([[3, 9], [21, 29]], None),
    }
    doc.spans["span-drug"] = {**_span([[14, 20]], None), "label": "Drug"}
    doc.relations = [{"type": "causes", "from": "span-drug", "to": "span-headache"}]
    return doc


def test_jsonl_round_trip_with_code_point_offsets(
    document: AnnotatedDocument, tmp_path: Path
) -> None:
    path = tmp_path / "spans.jsonl"
    assert write_jsonl([document, document], path) == 2
    line = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert line["offsets"] == "code points"
    assert line["spans"][0]["id"] == "span-nausea"
    assert line["spans"][0]["fragments"] == [[3, 9]]
    assert read_jsonl(path) == [document, document]


def test_jsonl_bad_line_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"document_hash": "x", "text": "ab", "spans": [], "relations": []}\n{',
        encoding="utf-8",
    )
    with pytest.raises(ImportFormatError) as caught:
        read_jsonl(path)
    assert caught.value.fields["line"] == 2


def test_brat_round_trip(document: AnnotatedDocument, tmp_path: Path) -> None:
    txt, ann = brat.write_brat(document, tmp_path / "report")
    assert txt.read_text(encoding="utf-8") == TEXT
    lines = ann.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "T1\tAE 3 9\tNausea"
    assert "T6\tAE 3 9;21 29\tNausea headache" in lines
    assert "A1\tSeverity T1 mild" in lines
    assert "A3\tSerious_hospitalisation T2" in lines
    assert "R1\tcauses Arg1:T7 Arg2:T2" in lines
    note = next(line for line in lines if line.startswith("#1\t"))
    assert note.startswith("#1\tAnnotatorNotes T1\tMedDRA 27.0: LLT 95000001 Nausea")

    again = brat.read_brat(tmp_path / "report", document_hash="hash-1")
    assert again.spans == document.spans
    assert list(again.spans) == list(document.spans)
    assert again.relations == document.relations
    assert again.text == document.text


def test_brat_from_another_tool(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("fever and rash\r\nok", encoding="utf-8")
    (tmp_path / "x.ann").write_text(
        "T1\tSymptom 0 5\tfever\nT2\tSymptom 10 14\trash\nA1\tNegated T2\n"
        "R1\tcauses Arg1:T1 Arg2:T2\n",
        encoding="utf-8",
    )
    document = brat.read_brat(tmp_path / "x")
    assert list(document.spans) == ["T1", "T2"]
    assert document.spans["T2"]["attributes"]["negated"] is True
    assert document.spans["T1"]["code"] is None
    assert document.relations == [{"type": "causes", "from": "T1", "to": "T2"}]
    assert document.text.endswith("\r\nok")


def test_brat_wrong_text_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("fever and rash", encoding="utf-8")
    (tmp_path / "x.ann").write_text("T1\tSymptom 0 5\tfever\nT2\tSymptom 0 4\trash\n")
    with pytest.raises(ImportFormatError) as caught:
        brat.read_brat(tmp_path / "x")
    assert caught.value.fields["line"] == 2


def test_conll_round_trip_of_flat_spans(
    document: AnnotatedDocument, tmp_path: Path
) -> None:
    path = tmp_path / "report.conll"
    problems = conll.write_conll(document, path)
    assert problems == ["span span-both is discontinuous; left out of CoNLL"]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "Nausea\t3\t9\tB-AE" in lines
    assert "倦怠感\t59\t62\tB-AE" in lines
    assert "あり。\t62\t65\tO" in lines
    assert "" in lines  # the line break starts a new sentence

    again = conll.read_conll(path, TEXT, document_hash="hash-1", label_set_version=2)
    expected = sorted(
        (b["label"], b["fragments"], b["text"])
        for k, b in document.spans.items()
        if k != "span-both"
    )
    assert (
        sorted((b["label"], b["fragments"], b["text"]) for b in again.spans.values())
        == expected
    )


def test_conll_multi_token_span_round_trips(tmp_path: Path) -> None:
    text = "Severe peripheral sensory neuropathy, then rash."
    document = AnnotatedDocument("h", text)
    document.spans["a"] = {"label": "AE", "fragments": [[7, 36]], "text": text[7:36]}
    document.spans["b"] = {"label": "AE", "fragments": [[43, 47]], "text": "rash"}
    conll.write_conll(document, tmp_path / "x.conll")
    again = conll.read_conll(tmp_path / "x.conll", text)
    assert [b["fragments"] for b in again.spans.values()] == [[[7, 36]], [[43, 47]]]
    assert again.spans["S1"]["text"] == "peripheral sensory neuropathy"


def test_sdtm_csv_and_xpt(document: AnnotatedDocument, tmp_path: Path) -> None:
    csv_path, xpt_path = tmp_path / "ae.csv", tmp_path / "ae.xpt"
    assert export_documents([document], "sdtm-csv", csv_path, study_id="STUDY1") == []
    problems = export_documents([document], "sdtm-xpt", xpt_path, study_id="STUDY1")

    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # Negated vomiting and hypothetical fatigue are left out by default.
    assert [r["AETERM"] for r in rows] == ["Nausea", "headache", "倦怠感"]
    assert list(rows[0]) == list(sdtm.VARIABLE_NAMES)
    headache = rows[1]
    assert headache["AEDECOD"] == "Headache"
    assert headache["AEPTCD"] == "96000003"
    assert headache["AESOC"] == headache["AEBODSYS"] == "Nervous system disorders"
    assert (headache["AESEV"], headache["AESER"]) == ("SEVERE", "Y")
    assert (headache["AESHOSP"], headache["AESMIE"], headache["AESDTH"]) == (
        "Y",
        "Y",
        "N",
    )
    assert rows[2]["AELLT"] == "Tiredness"

    assert problems == [
        "AE STUDY1-0001 AESEQ 3: AETERM not ASCII or over 200 characters; "
        "in the CSV only"
    ]
    assert xpt_path.read_bytes().startswith(
        b"HEADER RECORD*******LIBRARY HEADER RECORD"
    )
    assert b"LIBV8" not in xpt_path.read_bytes()[:200]
    data, meta = pyreadstat.read_xport(str(xpt_path), output_format="dict")
    assert meta.table_name == "AE"
    assert meta.column_names == list(sdtm.VARIABLE_NAMES)
    assert data["AETERM"] == ["Nausea", "headache"]
    assert data["AESEQ"] == [1.0, 2.0]
    assert data["AELLTCD"] == [95000001.0, 95000005.0]
    assert data["AESOCCD"] == [99000001.0, 99000002.0]
    assert data["USUBJID"] == ["STUDY1-0001", "STUDY1-0001"]
    assert data["AESEV"] == ["MILD", "SEVERE"]


def test_sdtm_can_keep_uncertain_mentions(document: AnnotatedDocument) -> None:
    rows, problems = sdtm.ae_rows([document], study_id="S", include_uncertain=True)
    assert [r["AETERM"] for r in rows] == [
        "Nausea",
        "headache",
        "vomiting",
        "fatigue",
        "倦怠感",
    ]
    assert [r["AESEQ"] for r in rows] == [1, 2, 3, 4, 5]
    assert problems == []


def test_fhir_r4b_and_r5_validate(document: AnnotatedDocument, tmp_path: Path) -> None:
    r4b, problems4 = fhir.adverse_event_bundle([document], release="R4B")
    assert problems4 == []
    resources = [e["resource"] for e in r4b["entry"]]
    assert len(resources) == 3
    first = resources[0]
    assert first["resourceType"] == "AdverseEvent"
    assert first["subject"] == {"reference": "Patient/STUDY1-0001"}
    assert first["event"]["coding"][0] == {
        "system": "https://www.meddra.org",
        "version": "27.0",
        "code": "95000001",
        "display": "Nausea",
    }
    assert first["severity"]["coding"][0]["code"] == "mild"
    assert resources[1]["seriousness"]["coding"][0]["code"] == "serious"

    r5, problems5 = fhir.adverse_event_bundle([document], release="R5")
    resources5 = [e["resource"] for e in r5["entry"]]
    assert [r["code"]["coding"][1]["display"] for r in resources5] == [
        "Nausea",
        "Headache",
        "Fatigue",
    ]
    assert all("severity" not in r and r["status"] == "completed" for r in resources5)
    assert problems5 == [
        "span span-nausea: severity mild not written (R5)",
        "span span-headache: severity severe not written (R5)",
    ]

    out = tmp_path / "ae-r5.json"
    export_documents([document], "fhir-r5", out)
    assert json.loads(out.read_text(encoding="utf-8"))["resourceType"] == "Bundle"


def test_fhir_refuses_an_invalid_resource() -> None:
    with pytest.raises(DocumentExportError):
        fhir.validate_adverse_event(
            {"resourceType": "AdverseEvent", "severity": {}}, release="R5"
        )


def test_span_outside_the_text_is_refused(
    document: AnnotatedDocument, tmp_path: Path
) -> None:
    document.spans["span-nausea"]["fragments"] = [[3, 999]]
    with pytest.raises(DocumentExportError):
        export_documents([document], "jsonl", tmp_path / "x.jsonl")


def test_export_to_folders_and_unknown_format(
    document: AnnotatedDocument, tmp_path: Path
) -> None:
    assert export_documents([document], "brat", tmp_path / "brat") == []
    assert sorted(p.name for p in (tmp_path / "brat").iterdir()) == [
        "0001-hash-1.ann",
        "0001-hash-1.txt",
    ]
    problems = export_documents([document], "conll", tmp_path / "conll")
    assert problems == ["span span-both is discontinuous; left out of CoNLL"]
    assert (tmp_path / "conll" / "0001-hash-1.conll").is_file()
    with pytest.raises(DocumentExportError):
        export_documents([document], "xlsx", tmp_path / "x")
