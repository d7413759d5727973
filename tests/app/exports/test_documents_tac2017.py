from __future__ import annotations

from pathlib import Path

import pytest

from app.exports.document_errors import ImportFormatError
from app.exports.tac2017 import gold_span_bodies, read_tac2017


@pytest.fixture(scope="module")
def tac_folder(shared_data: Path) -> Path:
    return shared_data / "tac2017_adr"


def test_every_file_parses_and_offsets_point_at_the_mentions(tac_folder: Path) -> None:
    files = sorted(tac_folder.glob("*.xml"))
    assert len(files) == 20
    total = 0
    for path in files:
        label = read_tac2017(path)
        assert label.sections, path.name
        assert label.mentions, path.name
        for mention in label.mentions:
            section = label.section_text(mention.section_id)
            found = " ".join(section[s:e] for s, e in mention.fragments)
            # The corpus's str collapses a few runs of spaces that the text keeps.
            assert found.split() == mention.text.split(), (path.name, mention)
        total += len(label.mentions)
    assert total == 2855


def test_jublia_counts(tac_folder: Path) -> None:
    label = read_tac2017(tac_folder / "JUBLIA.xml")
    assert label.drug == "jublia"
    assert list(label.sections) == ["S1"]
    assert len(label.mentions) == 8
    assert sum(m.is_discontinuous for m in label.mentions) == 0
    assert label.relations == ()
    assert len(label.reactions) == 5
    first = label.mentions[0]
    assert (first.fragments, first.text) == (((93, 109),), "ingrown toenails")
    normalization = label.reactions[0].normalizations[0]
    assert (normalization.pt_code, normalization.llt_code) == (10022013, 10022015)
    assert normalization.llt == "Ingrown toe nail"


def test_edarbi_counts(tac_folder: Path) -> None:
    label = read_tac2017(tac_folder / "EDARBI.xml")
    assert len(label.sections) == 3
    assert len(label.mentions) == 69
    assert sum(m.is_discontinuous for m in label.mentions) == 20
    assert len(label.relations) == 33
    assert sum(r.type == "Hypothetical" for r in label.relations) == 29
    assert len(label.reactions) == 37
    assert sum(m.section_id == "S1" for m in label.mentions) == 30


def test_discontinuous_mention_of_three_fragments(tac_folder: Path) -> None:
    label = read_tac2017(tac_folder / "ADCETRIS.xml")
    mention = next(m for m in label.mentions if m.mention_id == "M180")
    assert mention.fragments == ((18306, 18318), (18339, 18351), (18414, 18426))
    assert mention.text == "Interstitial inflammation of the chest"


def test_gold_span_bodies(tac_folder: Path) -> None:
    label = read_tac2017(tac_folder / "ADCETRIS.xml")
    bodies = gold_span_bodies(label, "S1", document_hash="abc")
    assert len(bodies) == sum(m.section_id == "S1" for m in label.mentions)
    assert all(b["gold"] is True and b["document_hash"] == "abc" for b in bodies)
    text = label.section_text("S1")
    for body in bodies:
        found = " ".join(text[s:e] for s, e in body["fragments"])
        assert found.split() == body["text"].split()
    negated = next(b for b in bodies if b["source_id"] == "M151")
    assert negated["text"] == "infusion-related reactions"
    assert negated["attributes"]["negated"] is True
    assert negated["label"] == "AdverseReaction"

    jublia = read_tac2017(tac_folder / "JUBLIA.xml")
    first = gold_span_bodies(jublia, "S1", document_hash="h")[0]
    assert first["code"]["pt_code"] == 10022013
    assert first["code"]["llt"] == "Ingrown toe nail"


def test_bad_offsets_name_file_and_mention(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(
        '<Label drug="x"><Text><Section name="a" id="S1">some text</Section></Text>'
        '<Mentions><Mention id="M1" section="S1" type="AdverseReaction" start="0" '
        'len="4" str="text" /></Mentions></Label>',
        encoding="utf-8",
    )
    with pytest.raises(ImportFormatError) as caught:
        read_tac2017(path)
    assert "M1" in str(caught.value)
    assert caught.value.path == str(path)
    path.write_text("<Label>", encoding="utf-8")
    with pytest.raises(ImportFormatError):
        read_tac2017(path)
