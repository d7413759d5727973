"""Finding a term in a canonical text: NFKC and case folded, ligatures dissolved.

Both the text and the term are compared after Unicode NFKC and case folding,
one source character at a time, so that full-width "ＡＢＣ１" matches "abc1"
and the ligature U+FB01 matches "fi". Any run of whitespace in the term
matches any run of whitespace (spaces, line ends, the page separator) in the
text. A word broken at a line end by a hyphen ("doxo-" / "rubicin") is found
both as "doxorubicin" and as "doxo-rubicin"; the match then covers both lines.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["find", "normalise_for_matching"]


def normalise_for_matching(text: str) -> tuple[str, list[int]]:
    """Return the matching form of ``text`` and, per character, its source offset.

    Parameters
    ----------
    text
        A canonical text.

    Returns
    -------
    tuple[str, list[int]]
        The NFKC-normalised, case-folded text and, for each of its characters,
        the code-point offset of the character in ``text`` it came from.
    """
    parts: list[str] = []
    sources: list[int] = []
    # Known shortcoming: NFKC works one character at a time, so a base letter
    # and a combining mark written apart do not match their composed form.
    for index, char in enumerate(text):
        folded = char if char.isascii() and not char.isupper() else _fold(char)
        parts.append(folded)
        sources += [index] * len(folded)
    return "".join(parts), sources


def _fold(char: str) -> str:
    """NFKC and case folding of one character."""
    return unicodedata.normalize("NFKC", char).casefold()


def find(
    text: str,
    term: str,
    *,
    normalised: tuple[str, list[int]] | None = None,
) -> list[tuple[int, int]]:
    """Return every place ``term`` occurs in ``text``, by the module's rules.

    Parameters
    ----------
    text
        A canonical text.
    term
        What to look for; empty or whitespace-only terms find nothing.
    normalised
        ``normalise_for_matching(text)`` when the caller keeps it (long texts).

    Returns
    -------
    list[tuple[int, int]]
        ``(start, end)`` code-point offsets into ``text``, in text order,
        without overlaps.
    """
    tokens = "".join(_fold(char) for char in term).split()
    if not tokens:
        return []
    pattern = re.compile(r"\s+".join(_token_pattern(token) for token in tokens))

    folded, sources = normalised or normalise_for_matching(text)
    return [
        (sources[match.start()], sources[match.end() - 1] + 1)
        for match in pattern.finditer(folded)
        if match.end() > match.start()
    ]


def _token_pattern(token: str) -> str:
    """Return a pattern for one word of the term, allowing hyphenated line breaks."""
    # A line end may fall between any two letters, after a hyphen the text keeps.
    pieces: list[str] = []
    for index, char in enumerate(token):
        if index:
            pieces.append(r"\n?" if token[index - 1] == "-" else r"(?:-\n)?")
        pieces.append(re.escape(char))
    return "".join(pieces)
