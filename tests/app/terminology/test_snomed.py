from __future__ import annotations

from pathlib import Path

import pytest

from app.terminology.errors import (
    NonCurrentTermError,
    TerminologyFileError,
    UnknownCodeError,
)
from app.terminology.snomed import load_snomed

# Invented IDs in the RF2 layout (SNOMED CT itself is licensed).
CONCEPTS = [
    ("1000001", "1"),  # root
    ("1000002", "1"),  # disorder
    ("1000003", "1"),  # headache disorder
    ("1000004", "1"),  # migraine
    ("1000005", "0"),  # an inactive concept
]
DESCRIPTIONS = [
    ("2001", "1", "1000001", "900000000000003001", "Root concept (root)"),
    ("2002", "1", "1000002", "900000000000003001", "Disorder (disorder)"),
    ("2003", "1", "1000003", "900000000000003001", "Headache disorder (disorder)"),
    ("2004", "1", "1000003", "900000000000013009", "Headache"),
    ("2005", "1", "1000004", "900000000000003001", "Migraine (disorder)"),
    ("2006", "1", "1000004", "900000000000013009", "Migraine"),
    ("2007", "0", "1000004", "900000000000013009", "Sick headache"),
    ("2008", "1", "1000005", "900000000000003001", "Old headache (disorder)"),
]
IS_A = [
    ("3001", "1", "1000002", "1000001", "116680003"),
    ("3002", "1", "1000003", "1000002", "116680003"),
    ("3003", "1", "1000004", "1000003", "116680003"),
    ("3004", "0", "1000004", "1000001", "116680003"),
    ("3005", "1", "1000004", "1000002", "246075003"),  # not IS-A
]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    lines = ["\t".join(header)] + ["\t".join(row) for row in rows]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


@pytest.fixture
def rf2(tmp_path: Path) -> Path:
    folder = tmp_path / "Snapshot" / "Terminology"
    folder.mkdir(parents=True)
    module = "900000000000207008"
    _write(
        folder / "sct2_Concept_Snapshot_INT_20250101.txt",
        ["id", "effectiveTime", "active", "moduleId", "definitionStatusId"],
        [[c, "20250101", a, module, "900000000000074008"] for c, a in CONCEPTS],
    )
    _write(
        folder / "sct2_Description_Snapshot-en_INT_20250101.txt",
        [
            "id",
            "effectiveTime",
            "active",
            "moduleId",
            "conceptId",
            "languageCode",
            "typeId",
            "term",
            "caseSignificanceId",
        ],
        [
            [i, "20250101", a, module, c, "en", t, term, "900000000000448009"]
            for i, a, c, t, term in DESCRIPTIONS
        ],
    )
    _write(
        folder / "sct2_Relationship_Snapshot_INT_20250101.txt",
        [
            "id",
            "effectiveTime",
            "active",
            "moduleId",
            "sourceId",
            "destinationId",
            "relationshipGroup",
            "typeId",
            "characteristicTypeId",
            "modifierId",
        ],
        [
            [
                i,
                "20250101",
                a,
                module,
                s,
                d,
                "0",
                t,
                "900000000000011006",
                "900000000000451002",
            ]
            for i, a, s, d, t in IS_A
        ],
    )
    return tmp_path


def test_loads_concepts_names_and_is_a(rf2: Path) -> None:
    snomed = load_snomed(rf2)
    assert snomed.version == "20250101"
    assert len(snomed.concepts) == 5
    migraine = snomed.lookup(1000004)
    assert migraine.fsn == "Migraine (disorder)"
    assert migraine.synonyms == ["Migraine"]
    assert snomed.ancestors(1000004) == {1000003, 1000002, 1000001}
    assert snomed.is_a(1000004, 1000002)
    assert not snomed.is_a(1000002, 1000004)


def test_search_and_codes(rf2: Path) -> None:
    snomed = load_snomed(rf2, version="2025-01")
    assert [c.concept_id for c in snomed.search("head")] == [1000003]
    assert [c.concept_id for c in snomed.search("migr")] == [1000004]
    assert snomed.code_for(1000003) == {
        "system": "SNOMED CT",
        "version": "2025-01",
        "code": "1000003",
        "display": "Headache",
    }
    with pytest.raises(NonCurrentTermError):
        snomed.code_for(1000005)
    with pytest.raises(UnknownCodeError):
        snomed.lookup(42)


def test_bad_header_names_the_file(rf2: Path) -> None:
    concept = next(rf2.rglob("sct2_Concept_*"))
    concept.write_text("identifier\tx\n1\t2\n", encoding="utf-8")
    with pytest.raises(TerminologyFileError) as caught:
        load_snomed(rf2)
    assert caught.value.fields["line"] == 1
    assert "sct2_Concept_Snapshot" in str(caught.value.path)
