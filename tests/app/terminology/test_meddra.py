from __future__ import annotations

from pathlib import Path

import pytest

from app.terminology.errors import (
    NonCurrentTermError,
    TerminologyFileError,
    TerminologyNotLoadedError,
    TerminologyVersionError,
    UnknownCodeError,
)
from app.terminology.meddra import (
    MeddraTerminology,
    changed_codes,
    load_from_project,
    load_meddra,
    normalise,
    rank_with_history,
    save_to_project,
)
from storage.progress import CancelledError, Progress

FATIGUE_PT = 96000007
GENERAL_SOC = 99000005
NERVOUS_SOC = 99000002


def _edit(path: Path, old: str, new: str, encoding: str = "ascii") -> None:
    data = path.read_bytes().decode(encoding)
    assert old in data
    path.write_bytes(data.replace(old, new).encode(encoding))


def test_loads_english_and_japanese(meddra: MeddraTerminology) -> None:
    assert meddra.version == "27.0"
    assert meddra.has_japanese
    assert len(meddra.llts) == 12
    assert len(meddra.pts) == 7
    assert len(meddra.socs) == 5
    assert meddra.llts[95000008].name == "Atrial fibrillation"
    assert meddra.llts[95000008].name_ja == "心房細動"
    assert meddra.pts[FATIGUE_PT].name_ja == "疲労"
    assert meddra.socs[GENERAL_SOC].name_ja == "一般・全身障害および投与部位の状態"
    assert meddra.soc_order[GENERAL_SOC] == 5


def test_search_english_prefix_and_substring(meddra: MeddraTerminology) -> None:
    assert [r.llt for r in meddra.search("head")] == ["Headache"]
    results = meddra.search("neuropathy")
    assert [(r.llt_code, r.match) for r in results] == [(95000007, "substring")]
    assert [r.llt for r in meddra.search("NAUSEA")] == ["Nausea"]


def test_search_by_code(meddra: MeddraTerminology) -> None:
    assert [r.llt for r in meddra.search("95000012")] == ["Tiredness"]
    assert [r.llt for r in meddra.search("９５０００００１")] == ["Nausea"]
    assert meddra.search("12345") == []


def test_kana_reading_finds_kanji_term(meddra: MeddraTerminology) -> None:
    for typed in ("しんぼう", "シンボウ", "ｼﾝﾎﾞｳ"):
        results = meddra.search(typed)
        assert [r.llt_ja for r in results] == ["心房細動"], typed
        assert results[0].llt == "Atrial fibrillation"
        assert results[0].pt == "Atrial fibrillation"


def test_kanji_search(meddra: MeddraTerminology) -> None:
    results = meddra.search("嘔吐")
    assert [(r.llt_ja, r.match) for r in results] == [
        ("嘔吐", "exact"),
        ("嘔吐症", "prefix"),
    ]


def test_full_width_term_found_by_ascii(meddra: MeddraTerminology) -> None:
    results = meddra.search("AF")
    assert results[0].llt_code == 95000009
    assert results[0].llt_ja == "ＡＦ"
    assert meddra.search("ａｆ")[0].llt_code == 95000009
    assert normalise("ＡＦ") == "af"


def test_fatigue_has_primary_soc_marked(meddra: MeddraTerminology) -> None:
    result = meddra.search("Fatigue")[0]
    assert [(p.soc_code, p.is_primary) for p in result.paths] == [
        (GENERAL_SOC, True),
        (NERVOUS_SOC, False),
    ]
    assert result.primary_path.soc == (
        "General disorders and administration site conditions"
    )
    code = meddra.code_for(95000011)
    assert code["soc_code"] == GENERAL_SOC
    assert code["primary_soc"] is True
    secondary = meddra.code_for(95000011, soc_code=NERVOUS_SOC)
    assert secondary["hlt"] == "Headaches NEC"
    assert secondary["primary_soc"] is False


def test_code_for_stores_the_whole_path_and_version(meddra: MeddraTerminology) -> None:
    assert meddra.code_for(95000012) == {
        "system": "MedDRA",
        "version": "27.0",
        "llt_code": 95000012,
        "llt": "Tiredness",
        "pt_code": FATIGUE_PT,
        "pt": "Fatigue",
        "hlt_code": 97000006,
        "hlt": "Asthenic conditions",
        "hlgt_code": 98000006,
        "hlgt": "General system disorders NEC",
        "soc_code": GENERAL_SOC,
        "soc": "General disorders and administration site conditions",
        "primary_soc": True,
    }


def test_non_current_llt_shown_but_refused(meddra: MeddraTerminology) -> None:
    results = meddra.search("Cephalgia")
    assert [(r.llt, r.is_current) for r in results] == [("Cephalgia", False)]
    with pytest.raises(NonCurrentTermError) as caught:
        meddra.code_for(95000006)
    assert "Cephalgia" in str(caught.value)
    assert "95000006" in str(caught.value)
    with pytest.raises(UnknownCodeError):
        meddra.code_for(12345678)


def test_current_llts_sort_before_non_current(meddra: MeddraTerminology) -> None:
    results = meddra.search("a")
    assert [r.llt for r in results[:2]] == ["AF", "Atrial fibrillation"]
    assert results[-1].llt == "Cephalgia"
    assert all(r.is_current for r in results[:-1])


def test_version_file_is_read(meddra_copy: Path) -> None:
    (meddra_copy / "meddra_release.asc").write_bytes(b"27.1$English$$$$\r\n")
    assert load_meddra(meddra_copy).version == "27.1"


def test_missing_version_is_refused(meddra_folder: Path) -> None:
    with pytest.raises(TerminologyVersionError):
        load_meddra(meddra_folder)


def test_lf_line_ends_load_the_same(meddra_copy: Path) -> None:
    for path in meddra_copy.glob("*.asc"):
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n"))
    loaded = load_meddra(meddra_copy, version="27.0")
    assert len(loaded.llts) == 12
    assert loaded.search("ずつう")[0].llt == "Headache"


def test_malformed_line_names_file_and_line(meddra_copy: Path) -> None:
    _edit(meddra_copy / "pt.asc", "96000003$Headache$$99000002$$$$$$$$", "96000003")
    with pytest.raises(TerminologyFileError) as caught:
        load_meddra(meddra_copy, version="27.0")
    assert caught.value.fields["line"] == 3
    assert caught.value.path is not None
    assert caught.value.path.endswith("pt.asc")


def test_missing_file_is_named(meddra_copy: Path) -> None:
    (meddra_copy / "mdhier.asc").unlink()
    with pytest.raises(TerminologyFileError) as caught:
        load_meddra(meddra_copy, version="27.0")
    assert "mdhier.asc" in str(caught.value.path)


def test_path_missing_from_link_files_is_refused(meddra_copy: Path) -> None:
    _edit(meddra_copy / "hlt_pt.asc", "97000002$96000007$", "97000002$96000003$")
    with pytest.raises(TerminologyFileError) as caught:
        load_meddra(meddra_copy, version="27.0")
    assert "97000002-96000007" in str(caught.value)
    assert str(caught.value.path).endswith("hlt_pt.asc")


def test_two_primary_paths_are_refused(meddra_copy: Path) -> None:
    _edit(meddra_copy / "mdhier.asc", "$Nerv$$99000005$N$", "$Nerv$$99000005$Y$")
    with pytest.raises(TerminologyFileError) as caught:
        load_meddra(meddra_copy, version="27.0")
    assert "PT 96000007 has 2 primary paths" in str(caught.value)


def test_japanese_file_not_cp932_is_refused(meddra_copy: Path) -> None:
    path = meddra_copy / "llt_j.asc"
    path.write_bytes(path.read_bytes() + b"95000013$\x85\x40$Y$a$a$a$\r\n")
    with pytest.raises(TerminologyFileError) as caught:
        load_meddra(meddra_copy, version="27.0")
    assert caught.value.fields["line"] == 13


def test_load_can_be_cancelled(meddra_folder: Path) -> None:
    progress = Progress()
    progress.cancel()
    with pytest.raises(CancelledError):
        load_meddra(meddra_folder, version="27.0", progress=progress)


def test_changed_codes_between_versions(
    meddra: MeddraTerminology, meddra_copy: Path
) -> None:
    # Version 28.0: Headache no longer current, Tiredness moved to the Nausea PT,
    # and the Fatigue PT's primary SOC moved to the nervous system.
    _edit(
        meddra_copy / "llt.asc",
        "95000005$Headache$96000003$$$$$$$Y$$",
        "95000005$Headache$96000003$$$$$$$N$$",
    )
    _edit(
        meddra_copy / "llt.asc",
        "95000012$Tiredness$96000007",
        "95000012$Tiredness$96000001",
    )
    hier = meddra_copy / "mdhier.asc"
    _edit(hier, "$Genrl$$99000005$Y$", "$Genrl$$99000005$N$")
    _edit(hier, "$Nerv$$99000005$N$", "$Nerv$$99000005$Y$")
    newer = load_meddra(meddra_copy, version="28.0")

    codes = [meddra.code_for(c) for c in (95000001, 95000005, 95000011, 95000012)]
    changes = changed_codes(meddra, newer, codes)
    assert [(c.code["llt_code"], c.reasons) for c in changes] == [
        (95000005, ("llt_not_current",)),
        (95000011, ("primary_soc_moved",)),
        (95000012, ("pt_moved", "primary_soc_moved")),
    ]
    assert changes[1].new_soc_code == NERVOUS_SOC
    assert changes[2].new_pt_code == 96000001


def test_earlier_codings_of_the_verbatim_come_first(meddra: MeddraTerminology) -> None:
    results = meddra.search("嘔吐")
    assert [r.llt_code for r in results] == [95000003, 95000004]
    history = [
        {"text": "嘔吐", "code": {"llt_code": 95000004}},
        {"text": " 嘔吐 ", "code": {"llt_code": 95000004}},
        {"text": "吐き気", "code": {"llt_code": 95000003}},
        {"text": "嘔吐", "code": None},
    ]
    ranked = rank_with_history(results, "嘔吐", history)
    assert [r.llt_code for r in ranked] == [95000004, 95000003]
    assert rank_with_history(results, "other", history) == results


def test_serialised_form_round_trips(meddra: MeddraTerminology) -> None:
    data = meddra.to_bytes()
    assert data == meddra.to_bytes()
    again = MeddraTerminology.from_bytes(data)
    assert again.version == "27.0"
    assert again.llts == meddra.llts
    assert again.paths == meddra.paths
    assert again.search("しんぼう")[0].llt_code == 95000008
    assert again.code_for(95000011) == meddra.code_for(95000011)


def test_kept_in_and_read_from_the_project(
    meddra: MeddraTerminology, project: object
) -> None:
    with pytest.raises(TerminologyNotLoadedError):
        load_from_project(project)
    save_to_project(project, meddra)
    save_to_project(project, meddra)  # the same bytes again change nothing
    stored = load_from_project(project)
    assert stored.version == "27.0"
    assert stored.code_for(95000008) == meddra.code_for(95000008)
    assert load_from_project(project, version="27.0").llts == meddra.llts
