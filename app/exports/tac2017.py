"""TAC 2017 ADR drug-label XML: reading its gold mentions as gold-standard spans."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.exports.document_errors import ImportFormatError
from app.terminology.meddra import normalise

logger = logging.getLogger(__name__)

# TAC relation types that become span attributes of their AdverseReaction.
_ATTRIBUTE_OF_RELATION = {"Negated": "negated", "Hypothetical": "hypothetical"}
# Known shortcoming: Effect relations and Severity mentions ("Grade 4") are not
# mapped to the span model, so gold severity stays None.


@dataclass(frozen=True)
class TacSection:
    """One section of a drug label ("adverse reactions", ...) and its text."""

    section_id: str
    name: str
    text: str


@dataclass(frozen=True)
class TacMention:
    """A gold mention: code-point fragments ``(start, end)`` into its section's text.

    A discontinuous mention has several fragments; ``text`` is the corpus's
    string, the fragments' texts joined by single spaces.
    """

    mention_id: str
    section_id: str
    type: str
    fragments: tuple[tuple[int, int], ...]
    text: str

    @property
    def is_discontinuous(self) -> bool:
        """Whether the mention has more than one fragment."""
        return len(self.fragments) > 1


@dataclass(frozen=True)
class TacRelation:
    """A relation between two mentions (Effect, Negated, Hypothetical)."""

    relation_id: str
    type: str
    arg1: str
    arg2: str


@dataclass(frozen=True)
class TacNormalization:
    """One MedDRA coding of a reaction; codes are None where the corpus has none."""

    pt: str | None
    pt_code: int | None
    llt: str | None
    llt_code: int | None
    flag: str | None


@dataclass(frozen=True)
class TacReaction:
    """A distinct adverse reaction string of the label and its MedDRA codings."""

    reaction_id: str
    text: str
    normalizations: tuple[TacNormalization, ...]


@dataclass(frozen=True)
class TacLabel:
    """A TAC 2017 ADR label: sections, mentions, relations and reactions."""

    path: Path
    drug: str
    sections: dict[str, TacSection]
    mentions: tuple[TacMention, ...]
    relations: tuple[TacRelation, ...]
    reactions: tuple[TacReaction, ...]

    def section_text(self, section_id: str) -> str:
        """Return the text of one section, by its id ("S1", ...)."""
        return self.sections[section_id].text


def read_tac2017(path: Path) -> TacLabel:
    """Read one TAC 2017 ADR XML file.

    Parameters
    ----------
    path
        A ``<Label>`` XML file with ``Text/Section``, ``Mentions``,
        ``Relations`` and ``Reactions``. Mention offsets are ``start`` and
        ``len`` lists ("17087,17098" and "5,1") in code points of the section.

    Returns
    -------
    TacLabel

    Raises
    ------
    ImportFormatError
        The file is not such XML, or a mention points outside its section or
        at other text than its ``str`` (file and mention named).
    """
    path = Path(path)
    try:
        root = ET.parse(path).getroot()  # noqa: S314 -- local corpus file
    except (ET.ParseError, OSError) as error:
        raise ImportFormatError(str(error), path=path, line=0) from error
    if root.tag != "Label":
        raise ImportFormatError(f"root is <{root.tag}>, not <Label>", path=path, line=0)

    sections = {
        s.get("id", ""): TacSection(s.get("id", ""), s.get("name", ""), s.text or "")
        for s in root.iterfind("Text/Section")
    }
    mentions = tuple(
        _mention(path, m, sections) for m in root.iterfind("Mentions/Mention")
    )
    relations = tuple(
        TacRelation(
            r.get("id", ""), r.get("type", ""), r.get("arg1", ""), r.get("arg2", "")
        )
        for r in root.iterfind("Relations/Relation")
    )
    reactions = tuple(
        TacReaction(
            r.get("id", ""),
            r.get("str", ""),
            tuple(_normalization(n) for n in r.iterfind("Normalization")),
        )
        for r in root.iterfind("Reactions/Reaction")
    )

    logger.info(
        "TAC label read: %d sections, %d mentions, %d relations",
        len(sections),
        len(mentions),
        len(relations),
    )
    return TacLabel(
        path, root.get("drug", ""), sections, mentions, relations, reactions
    )


def _mention(
    path: Path, element: ET.Element, sections: dict[str, TacSection]
) -> TacMention:
    mention_id = element.get("id", "")
    section_id = element.get("section", "")
    text = element.get("str", "")
    if section_id not in sections:
        raise ImportFormatError(
            f"mention {mention_id} names unknown section {section_id}",
            path=path,
            line=0,
        )
    try:
        starts = [int(v) for v in element.get("start", "").split(",")]
        lengths = [int(v) for v in element.get("len", "").split(",")]
    except ValueError:
        raise ImportFormatError(
            f"mention {mention_id} has malformed offsets", path=path, line=0
        ) from None
    if len(starts) != len(lengths):
        raise ImportFormatError(
            f"mention {mention_id} has {len(starts)} starts, {len(lengths)} lengths",
            path=path,
            line=0,
        )

    fragments = tuple((s, s + n) for s, n in zip(starts, lengths, strict=True))
    section = sections[section_id].text
    found = " ".join(section[s:e] for s, e in fragments)
    # The corpus's str collapses some runs of spaces that the section keeps.
    if any(e > len(section) or s < 0 for s, e in fragments) or (
        found.split() != text.split()
    ):
        raise ImportFormatError(
            f"mention {mention_id} offsets point at {found!r}, not {text!r}",
            path=path,
            line=0,
        )
    return TacMention(mention_id, section_id, element.get("type", ""), fragments, text)


def _normalization(element: ET.Element) -> TacNormalization:
    def number(name: str) -> int | None:
        value = element.get(name)
        return int(value) if value else None

    return TacNormalization(
        pt=element.get("meddra_pt"),
        pt_code=number("meddra_pt_id"),
        llt=element.get("meddra_llt"),
        llt_code=number("meddra_llt_id"),
        flag=element.get("flag"),
    )


def gold_span_bodies(
    label: TacLabel, section_id: str, *, document_hash: str, label_set_version: int = 0
) -> list[dict[str, Any]]:
    """Turn one section's gold mentions into span record bodies with ``"gold": true``.

    Parameters
    ----------
    label
        A label read by :func:`read_tac2017`.
    section_id
        The section whose text is the document ("S1", ...).
    document_hash
        The hash of the document made from that section's text.
    label_set_version
        The version of the document label set holding the TAC mention types.

    Returns
    -------
    list of dict
        One body per mention, in the corpus order, with fragments in code
        points of the section text, ``negated``/``hypothetical`` set from the
        Negated/Hypothetical relations, a MedDRA code (PT and LLT only, from the
        first normalization of the matching reaction) for AdverseReaction
        mentions, and ``"source_id"`` the corpus mention id.
    """
    flags: dict[str, set[str]] = {}
    for relation in label.relations:
        attribute = _ATTRIBUTE_OF_RELATION.get(relation.type)
        if attribute:
            flags.setdefault(relation.arg1, set()).add(attribute)
    reactions = {normalise(r.text): r for r in label.reactions}

    bodies: list[dict[str, Any]] = []
    for mention in label.mentions:
        if mention.section_id != section_id:
            continue
        reaction = reactions.get(normalise(mention.text))
        code = None
        if mention.type == "AdverseReaction" and reaction and reaction.normalizations:
            code = _gold_code(reaction.normalizations[0])
        marked = flags.get(mention.mention_id, set())
        bodies.append(
            {
                "document_hash": document_hash,
                "label": mention.type,
                "label_set_version": label_set_version,
                "fragments": [[s, e] for s, e in mention.fragments],
                "text": mention.text,
                "attributes": {
                    "negated": "negated" in marked,
                    "hypothetical": "hypothetical" in marked,
                    "severity": None,
                    "seriousness": [],
                },
                "code": code,
                "gold": True,
                "source_id": mention.mention_id,
            }
        )
    return bodies


def _gold_code(n: TacNormalization) -> dict[str, Any] | None:
    if n.pt_code is None:
        return None
    # The corpus gives PT and LLT only; the hierarchy above the PT is unknown.
    return {
        "system": "MedDRA",
        "version": None,
        "llt_code": n.llt_code if n.llt_code is not None else n.pt_code,
        "llt": n.llt if n.llt is not None else n.pt,
        "pt_code": n.pt_code,
        "pt": n.pt,
        "hlt_code": None,
        "hlt": None,
        "hlgt_code": None,
        "hlgt": None,
        "soc_code": None,
        "soc": None,
        "primary_soc": None,
    }
