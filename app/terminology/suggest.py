"""Pre-annotation from a dictionary: suggested spans that a coder accepts or rejects."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from app.terminology.meddra import MeddraTerminology, normalise

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Suggestion:
    """A dictionary term found in a text; never saved until a coder accepts it.

    ``start`` and ``end`` are code-point offsets into the text as given (end
    exclusive); ``term`` is the dictionary's spelling of the term.
    """

    start: int
    end: int
    llt_code: int
    term: str


def suggest_spans(
    text: str, terminology: MeddraTerminology | Mapping[str, int]
) -> list[Suggestion]:
    """Find dictionary terms in a text: whole words, folded, longest match first.

    Parameters
    ----------
    text
        The document's canonical text.
    terminology
        A loaded MedDRA (its current LLTs, English and Japanese names) or a
        mapping of term to LLT code.

    Returns
    -------
    list of Suggestion
        Non-overlapping matches from left to right; where terms overlap the
        longer one wins. Matching folds both sides with NFKC and casefold
        (full-width ＡＦ matches AF). Words of spaced scripts must match whole;
        Japanese and Chinese characters have no spaces, so any position counts.
    """
    terms = _terms(terminology)
    if not terms or not text:
        return []
    lengths = sorted({len(term) for term in terms}, reverse=True)
    folded, origin = _fold_with_offsets(text)

    suggestions: list[Suggestion] = []
    position = 0
    while position < len(folded):
        if position > 0 and _joins(folded[position - 1], folded[position]):
            position += 1
            continue
        found = _longest_at(folded, position, lengths, terms)
        if found is None:
            position += 1
            continue
        end, (llt_code, term) = found
        suggestions.append(
            Suggestion(origin[position], origin[end - 1] + 1, llt_code, term)
        )
        position = end

    logger.info("dictionary suggested %d spans", len(suggestions))
    return suggestions


def _longest_at(
    folded: str, position: int, lengths: list[int], terms: Mapping[str, tuple[int, str]]
) -> tuple[int, tuple[int, str]] | None:
    for length in lengths:
        end = position + length
        if end > len(folded):
            continue
        hit = terms.get(folded[position:end])
        if hit is None:
            continue
        if end < len(folded) and _joins(folded[end - 1], folded[end]):
            continue
        return end, hit
    return None


def _terms(
    terminology: MeddraTerminology | Mapping[str, int],
) -> dict[str, tuple[int, str]]:
    if isinstance(terminology, MeddraTerminology):
        pairs = [
            (name, llt.code)
            for llt in terminology.llts.values()
            if llt.is_current
            for name in (llt.name, llt.name_ja)
            if name
        ]
    else:
        pairs = list(terminology.items())
    terms: dict[str, tuple[int, str]] = {}
    for name, code in pairs:
        terms.setdefault(normalise(name), (int(code), name))
    terms.pop("", None)
    return terms


def _fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` as :func:`normalise` does, keeping each folded character's origin.

    Runs of whitespace become one space, so a term split over a line break
    still matches.
    """
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isspace():
            if chars and chars[-1] == " ":
                continue
            piece = " "
        else:
            piece = normalise(unicodedata.normalize("NFKC", char)) or char
        for folded in piece:
            chars.append(folded)
            origin.append(index)
    return "".join(chars), origin


def _is_spaced_letter(char: str) -> bool:
    # Scripts written without spaces (kana, CJK ideographs) start at 0x2E80.
    return char.isalnum() and ord(char) < 0x2E80


def _joins(left: str, right: str) -> bool:
    """Whether a word boundary is missing between two folded characters."""
    return _is_spaced_letter(left) and _is_spaced_letter(right)
