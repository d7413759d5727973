"""Code points against Qt's UTF-16 positions."""

from __future__ import annotations

import pytest

from viewers.documents.offsets import codepoint_to_utf16, utf16_to_codepoint

TEXT = "😀𠮷 Patient nausea"  # emoji, U+20BB7, then a word at index 11


def test_word_after_emoji_and_astral_kanji_is_at_qt_position_13() -> None:
    assert TEXT[11:17] == "nausea"
    assert codepoint_to_utf16(TEXT, 11) == 13
    assert utf16_to_codepoint(TEXT, 13) == 11
    assert TEXT.encode("utf-16-le")[26:38].decode("utf-16-le") == "nausea"


def test_every_offset_round_trips() -> None:
    for index in range(len(TEXT) + 1):
        assert utf16_to_codepoint(TEXT, codepoint_to_utf16(TEXT, index)) == index
    assert codepoint_to_utf16(TEXT, len(TEXT)) == len(TEXT.encode("utf-16-le")) // 2


def test_position_inside_a_surrogate_pair_moves_to_the_character_start() -> None:
    assert utf16_to_codepoint(TEXT, 1) == 0
    assert utf16_to_codepoint(TEXT, 3) == 1


def test_positions_outside_the_text_are_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        codepoint_to_utf16(TEXT, len(TEXT) + 1)
    with pytest.raises(ValueError, match="outside"):
        utf16_to_codepoint(TEXT, 20)
    with pytest.raises(ValueError, match="negative"):
        utf16_to_codepoint(TEXT, -1)
