from __future__ import annotations

from app.terminology.meddra import MeddraTerminology
from app.terminology.suggest import Suggestion, suggest_spans


def test_whole_words_longest_match_with_offsets(meddra: MeddraTerminology) -> None:
    text = "Nausea, then Atrial fibrillation; no afib. Headaches and AF."
    found = suggest_spans(text, meddra)
    assert [(s.start, s.end, s.llt_code, s.term) for s in found] == [
        (0, 6, 95000001, "Nausea"),
        (13, 32, 95000008, "Atrial fibrillation"),
        (57, 59, 95000009, "AF"),
    ]
    for suggestion in found:
        assert text[suggestion.start : suggestion.end].casefold() == (
            suggestion.term.casefold()
        )


def test_full_width_and_japanese_terms(meddra: MeddraTerminology) -> None:
    text = "患者はＡＦと倦怠感を訴えた。頭部痛は旧語。"
    found = suggest_spans(text, meddra)
    assert found == [
        Suggestion(3, 5, 95000009, "AF"),
        Suggestion(6, 9, 95000012, "倦怠感"),
    ]


def test_term_over_a_line_break(meddra: MeddraTerminology) -> None:
    text = "Peripheral sensory\n  neuropathy was seen."
    assert suggest_spans(text, meddra) == [
        Suggestion(0, 31, 95000007, "Peripheral sensory neuropathy")
    ]


def test_plain_dictionary_and_empty_inputs() -> None:
    assert suggest_spans("", {"rash": 1}) == []
    assert suggest_spans("A rash, rashes.", {"Rash": 1}) == [
        Suggestion(2, 6, 1, "Rash")
    ]
