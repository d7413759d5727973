"""Conversions between code-point offsets and Qt's UTF-16 positions.

The document model counts offsets in Unicode code points (Python string
indices). Qt counts UTF-16 code units, so every character outside the Basic
Multilingual Plane (emoji, U+20BB7 𠮷) takes two positions in Qt and one in
Python. These two functions are the only place that converts; call them at
the Qt boundary and nowhere else.
"""

from __future__ import annotations

__all__ = ["codepoint_to_utf16", "utf16_to_codepoint"]

_BMP_END = 0xFFFF


def codepoint_to_utf16(text: str, index: int) -> int:
    """Return the UTF-16 position of code-point ``index`` in ``text``.

    Parameters
    ----------
    text
        The text both positions refer to.
    index
        A code-point offset, 0 to ``len(text)`` inclusive.

    Returns
    -------
    int
        The number of UTF-16 code units before ``index``.

    Raises
    ------
    ValueError
        If ``index`` lies outside the text.
    """
    if not 0 <= index <= len(text):
        raise ValueError(f"code-point offset {index} outside 0..{len(text)}")
    return index + sum(1 for char in text[:index] if ord(char) > _BMP_END)


def utf16_to_codepoint(text: str, position: int) -> int:
    """Return the code-point offset of UTF-16 ``position`` in ``text``.

    A position in the middle of a surrogate pair (which Qt can report for a
    click between the two halves) is moved back to the start of the character.

    Parameters
    ----------
    text
        The text both positions refer to.
    position
        A UTF-16 code-unit position, 0 to the text's UTF-16 length inclusive.

    Returns
    -------
    int
        The code-point offset of the character at or containing ``position``.

    Raises
    ------
    ValueError
        If ``position`` lies outside the text.
    """
    if position < 0:
        raise ValueError(f"UTF-16 position {position} is negative")

    units = 0
    for index, char in enumerate(text):
        width = 2 if ord(char) > _BMP_END else 1
        if units + width > position:
            return index
        units += width
    if units == position:
        return len(text)
    raise ValueError(f"UTF-16 position {position} outside 0..{units}")
