"""Plain-text files: encoding detection and the line-ending policy.

Encodings, tried in this order:

1. a byte order mark: UTF-8 (``"utf-8"``, the mark is dropped) or UTF-16
   little or big endian (``"utf-16"``);
2. strict UTF-8 (``"utf-8"``);
3. strict Shift_JIS as Windows writes it (``"cp932"``).

Anything else raises :class:`DocumentEncodingError`; a file is never decoded
with replacement characters, because offsets into replaced text mean nothing.

Line endings: the canonical text has LF only. CRLF and a lone CR each become
one LF. :class:`LineEndings` keeps the positions of the collapsed CRLF pairs,
so a canonical offset maps back to the code-point offset in the decoded
original text (after the byte order mark).
"""

from __future__ import annotations

import bisect
import codecs
from dataclasses import dataclass
from pathlib import Path

from viewers.documents.errors import DocumentEncodingError

__all__ = ["LineEndings", "decode_text", "normalise_line_endings"]

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """Decode a text file's bytes by the rules in the module docstring.

    Parameters
    ----------
    data
        The file's bytes.
    path
        The file, named in the error.

    Returns
    -------
    tuple[str, str]
        The decoded text (without a byte order mark) and the encoding's name:
        ``"utf-8"``, ``"utf-16"`` or ``"cp932"``.

    Raises
    ------
    DocumentEncodingError
        If no encoding decodes the bytes without error, or the text holds NUL
        characters (a binary file).
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as error:
                raise DocumentEncodingError(
                    f"{name} with a byte order mark: {error.reason}",
                    path=path,
                    position=error.start,
                ) from error
            return _refuse_binary(text, path), name

    try:
        return _refuse_binary(data.decode("utf-8"), path), "utf-8"
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error.start
    try:
        return _refuse_binary(data.decode("cp932"), path), "cp932"
    except UnicodeDecodeError as error:
        raise DocumentEncodingError(
            "neither UTF-8 nor CP932", path=path, position=first_bad
        ) from error


def _refuse_binary(text: str, path: Path) -> str:
    """Refuse text that holds NUL characters, which no text file has."""
    nul = text.find("\x00")
    if nul >= 0:
        raise DocumentEncodingError(
            "NUL character: binary file", path=path, position=nul
        )
    return text


@dataclass(frozen=True)
class LineEndings:
    """Where CRLF pairs were collapsed to LF, to map offsets back to the file.

    Attributes
    ----------
    collapsed
        Sorted canonical offsets of each LF that was a CRLF in the original.
    """

    collapsed: tuple[int, ...] = ()

    def original_offset(self, index: int) -> int:
        """Return the code-point offset in the original text of ``index``.

        Parameters
        ----------
        index
            A code-point offset into the canonical (LF-only) text.

        Returns
        -------
        int
            The offset into the decoded original text: ``index`` plus one for
            each collapsed CRLF before it.
        """
        return index + bisect.bisect_left(self.collapsed, index)


def normalise_line_endings(text: str) -> tuple[str, LineEndings]:
    """Turn CRLF and lone CR into LF, remembering where CRLF pairs were.

    Parameters
    ----------
    text
        The decoded original text.

    Returns
    -------
    tuple[str, LineEndings]
        The canonical text and the map back to the original offsets.
    """
    if "\r" not in text:
        return text, LineEndings()

    parts: list[str] = []
    collapsed: list[int] = []
    length = 0
    start = 0
    while True:
        cr = text.find("\r", start)
        if cr < 0:
            parts.append(text[start:])
            break
        parts.append(text[start:cr])
        length += cr - start
        if text.startswith("\r\n", cr):
            collapsed.append(length)
            start = cr + 2
        else:
            start = cr + 1
        parts.append("\n")
        length += 1
    return "".join(parts), LineEndings(tuple(collapsed))
