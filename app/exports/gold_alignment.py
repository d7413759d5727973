"""Mapping gold mention offsets from a source text onto a PDF's canonical text."""

from __future__ import annotations

import difflib
import logging
from collections.abc import Sequence
from typing import Any

from app.exports.tac2017 import TacLabel, gold_span_bodies
from storage.errors import QT_TRANSLATE_NOOP, ServiceError

__all__ = [
    "SECTION_SEPARATOR",
    "GoldAligner",
    "GoldAlignmentError",
    "align_gold",
    "import_gold_into_document",
    "label_source_text",
]

logger = logging.getLogger(__name__)

SECTION_SEPARATOR = "\n\n"
"""Joins a label's section texts in :func:`label_source_text`."""

# How far ahead (in non-space characters) a resynchronisation looks, and the
# shortest common run accepted as being back in step.
_WINDOW = 400
_MIN_RUN = 8


class GoldAlignmentError(ServiceError):
    """A gold mention has no counterpart in the document's canonical text."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The gold mention {mention} cannot be found in the document."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors",
        "No gold spans were imported. Check that the document holds the same "
        "text as the gold standard.",
    )


class GoldAligner:
    """A character map from a source text onto a canonical text.

    Whitespace is ignored on both sides (line wrapping, column order within a
    page and page separators change it); a hyphen that the canonical text has
    before a line or page end and the source has not is skipped (hyphenation
    at a line end). Other differences are bridged by resynchronising on the
    next common run of at least eight non-space characters; characters inside
    such a difference stay unmapped.

    Parameters
    ----------
    source_text
        The text the gold offsets point into (code points).
    canonical_text
        The document's canonical text (code points).
    """

    def __init__(self, source_text: str, canonical_text: str) -> None:
        self.source_text = source_text
        self.canonical_text = canonical_text
        self._map: dict[int, int] = {}
        self.skipped_hyphens = 0
        self.unmapped = 0
        self._build()

    def _build(self) -> None:
        source = [i for i, ch in enumerate(self.source_text) if not ch.isspace()]
        canonical = [i for i, ch in enumerate(self.canonical_text) if not ch.isspace()]
        s_chars = "".join(self.source_text[i] for i in source)
        c_chars = "".join(self.canonical_text[i] for i in canonical)

        i = j = 0
        while i < len(source) and j < len(canonical):
            if s_chars[i] == c_chars[j]:
                self._map[source[i]] = canonical[j]
                i += 1
                j += 1
            elif c_chars[j] == "-" and self._before_line_end(canonical[j]):
                self.skipped_hyphens += 1
                j += 1
            else:
                i, j = self._resync(s_chars, c_chars, i, j)
        self.unmapped += len(source) - i

    def _before_line_end(self, index: int) -> bool:
        """Whether only spaces lie between ``index`` and the next LF or FF."""
        for ch in self.canonical_text[index + 1 :]:
            if ch in "\n\f":
                return True
            if not ch.isspace():
                return False
        return False

    def _resync(self, s_chars: str, c_chars: str, i: int, j: int) -> tuple[int, int]:
        """Skip to the next common run; return where both sides are in step."""
        matcher = difflib.SequenceMatcher(
            None, s_chars[i : i + _WINDOW], c_chars[j : j + _WINDOW], autojunk=False
        )
        for block in matcher.get_matching_blocks():
            if block.size >= _MIN_RUN:
                self.unmapped += block.a
                return i + block.a, j + block.b
        # No common run in the window: this source character has no counterpart.
        self.unmapped += 1
        return i + 1, j

    def map_fragments(
        self, fragments: Sequence[tuple[int, int]], *, mention: str = ""
    ) -> list[tuple[int, int]]:
        """Map ``(start, end)`` source fragments onto the canonical text.

        Parameters
        ----------
        fragments
            Code-point fragments into the source text.
        mention
            The mention's name (corpus id), named in errors.

        Returns
        -------
        list of tuple of int
            ``(start, end)`` code points of the canonical text, from the
            fragment's first to its last non-space character.

        Raises
        ------
        GoldAlignmentError
            If a fragment is empty, outside the source, or its first or last
            non-space character has no counterpart.
        """
        mapped: list[tuple[int, int]] = []
        for start, end in fragments:
            if not 0 <= start < end <= len(self.source_text):
                raise GoldAlignmentError(
                    f"fragment ({start}, {end}) outside the source text",
                    mention=mention,
                )
            inside = [k for k in range(start, end) if not self.source_text[k].isspace()]
            if not inside:
                raise GoldAlignmentError(
                    f"fragment ({start}, {end}) holds only whitespace",
                    mention=mention,
                )
            first = self._map.get(inside[0])
            last = self._map.get(inside[-1])
            if first is None or last is None or last < first:
                raise GoldAlignmentError(
                    f"fragment ({start}, {end}) has no counterpart", mention=mention
                )
            mapped.append((first, last + 1))
        return mapped


def align_gold(
    source_text: str,
    canonical_text: str,
    fragments: Sequence[tuple[int, int]],
    *,
    mention: str = "",
) -> list[tuple[int, int]]:
    """Map one mention's source fragments onto a canonical text.

    For many mentions of one text build a :class:`GoldAligner` once instead.

    Parameters
    ----------
    source_text
        The text the gold offsets point into.
    canonical_text
        The document's canonical text.
    fragments
        ``(start, end)`` code points into ``source_text``.
    mention
        The mention's name, given in errors.

    Returns
    -------
    list of tuple of int
        The fragments in code points of ``canonical_text``.

    Raises
    ------
    GoldAlignmentError
        If a fragment cannot be mapped (the mention is named).
    """
    return GoldAligner(source_text, canonical_text).map_fragments(
        fragments, mention=mention
    )


def label_source_text(label: TacLabel) -> tuple[str, dict[str, int]]:
    """Join a label's sections as a document made from the label shows them.

    Parameters
    ----------
    label
        A TAC 2017 label.

    Returns
    -------
    tuple
        The section texts in file order joined by ``SECTION_SEPARATOR``, and
        each section's start offset in that text, by section id.
    """
    starts: dict[str, int] = {}
    parts: list[str] = []
    position = 0
    for section_id, section in label.sections.items():
        if parts:
            parts.append(SECTION_SEPARATOR)
            position += len(SECTION_SEPARATOR)
        starts[section_id] = position
        parts.append(section.text)
        position += len(section.text)
    return "".join(parts), starts


def import_gold_into_document(
    label: TacLabel,
    canonical_text: str,
    *,
    document_hash: str,
    label_set_version: int = 0,
) -> list[dict[str, Any]]:
    """Turn a label's gold mentions into span bodies on a document holding it.

    Parameters
    ----------
    label
        A TAC 2017 label whose sections (in file order) the document holds.
    canonical_text
        The document's canonical text.
    document_hash
        The document's content hash, written into each body.
    label_set_version
        The version of the document label set holding the TAC mention types.

    Returns
    -------
    list of dict
        The bodies of :func:`app.exports.tac2017.gold_span_bodies` for every
        section, with ``"gold": true`` and fragments in code points of
        ``canonical_text``; ``"text"`` stays the corpus's mention string.

    Raises
    ------
    GoldAlignmentError
        If any mention cannot be mapped (nothing is returned then).
    """
    source, starts = label_source_text(label)
    aligner = GoldAligner(source, canonical_text)

    bodies: list[dict[str, Any]] = []
    for section_id, offset in starts.items():
        for body in gold_span_bodies(
            label,
            section_id,
            document_hash=document_hash,
            label_set_version=label_set_version,
        ):
            shifted = [(s + offset, e + offset) for s, e in body["fragments"]]
            mapped = aligner.map_fragments(shifted, mention=str(body["source_id"]))
            body["fragments"] = [[s, e] for s, e in mapped]
            bodies.append(body)

    logger.info(
        "gold spans mapped: %d, hyphens skipped %d, characters unmapped %d",
        len(bodies),
        aligner.skipped_hyphens,
        aligner.unmapped,
    )
    return bodies
