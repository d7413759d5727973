"""Matching terms: NFKC, case folding, ligatures and hyphenated line breaks."""

from __future__ import annotations

from viewers.documents.search import find


def test_full_width_letters_and_digits_match_ascii() -> None:
    text = "ＧＲＡＤＥ　３ neutropenia"
    assert find(text, "grade 3") == [(0, 7)]


def test_ligature_matches_its_letters() -> None:
    text = "atrial \ufb01brillation and Fibrillation"
    assert find(text, "fibrillation") == [(7, 18), (23, 35)]


def test_hyphenated_line_break_is_found_both_ways() -> None:
    text = "given doxo-\nrubicin and 5-fluoro-\nuracil"
    assert find(text, "doxorubicin") == [(6, 19)]
    assert find(text, "5-fluoro-uracil") == [(24, 40)]
    assert find(text, "5-fluorouracil") == [(24, 40)]


def test_whitespace_runs_match_line_ends_and_empty_terms_find_nothing() -> None:
    text = "atrial\nfibrillation"
    assert find(text, "Atrial   fibrillation") == [(0, 19)]
    assert find(text, "  ") == []
