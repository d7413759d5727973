"""SNOMED CT from the user's own RF2 snapshot: concepts, descriptions and IS-A."""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.terminology.errors import (
    NonCurrentTermError,
    TerminologyFileError,
    TerminologyVersionError,
    UnknownCodeError,
)
from app.terminology.meddra import normalise

logger = logging.getLogger(__name__)

SYSTEM = "SNOMED CT"
FHIR_SYSTEM = "http://snomed.info/sct"
IS_A = 116680003
FULLY_SPECIFIED_NAME = 900000000000003001
SYNONYM = 900000000000013009

# File name start, and the columns each RF2 file must have (RF2 specification).
_FILES = {
    "concept": (
        "sct2_Concept_Snapshot",
        ("id", "effectiveTime", "active", "moduleId", "definitionStatusId"),
    ),
    "description": (
        "sct2_Description_Snapshot",
        (
            "id",
            "effectiveTime",
            "active",
            "moduleId",
            "conceptId",
            "languageCode",
            "typeId",
            "term",
            "caseSignificanceId",
        ),
    ),
    "relationship": (
        "sct2_Relationship_Snapshot",
        (
            "id",
            "effectiveTime",
            "active",
            "moduleId",
            "sourceId",
            "destinationId",
            "relationshipGroup",
            "typeId",
            "characteristicTypeId",
            "modifierId",
        ),
    ),
}
_RELEASE_DATE = re.compile(r"_(\d{8})\.txt$")


@dataclass
class SnomedConcept:
    """A concept with its fully specified name and active synonyms."""

    concept_id: int
    is_active: bool
    fsn: str = ""
    synonyms: list[str] = field(default_factory=list)

    @property
    def preferred(self) -> str:
        """A name to show: the first synonym, else the FSN."""
        return self.synonyms[0] if self.synonyms else self.fsn


@dataclass
class SnomedTerminology:
    """A loaded RF2 snapshot: concepts and the active IS-A graph."""

    version: str
    concepts: dict[int, SnomedConcept]
    parents: dict[int, set[int]]

    def lookup(self, concept_id: int) -> SnomedConcept:
        """One concept by its ID; UnknownCodeError when absent."""
        concept = self.concepts.get(concept_id)
        if concept is None:
            raise UnknownCodeError(
                f"concept {concept_id} not found",
                code=concept_id,
                system=SYSTEM,
                version=self.version,
            )
        return concept

    def ancestors(self, concept_id: int) -> set[int]:
        """Every concept reachable by active IS-A relationships, upwards."""
        self.lookup(concept_id)
        seen: set[int] = set()
        stack = list(self.parents.get(concept_id, ()))
        while stack:
            parent = stack.pop()
            if parent not in seen:
                seen.add(parent)
                stack.extend(self.parents.get(parent, ()))
        return seen

    def is_a(self, concept_id: int, ancestor_id: int) -> bool:
        """Whether ``concept_id`` is ``ancestor_id`` or one of its descendants."""
        return concept_id == ancestor_id or ancestor_id in self.ancestors(concept_id)

    def search(self, text: str, *, limit: int = 50) -> list[SnomedConcept]:
        """Active concepts whose FSN or a synonym starts with, then holds, the text."""
        query = normalise(text)
        if not query:
            return []
        ranked: list[tuple[int, int, int]] = []
        for concept in self.concepts.values():
            if not concept.is_active:
                continue
            names = [normalise(n) for n in [concept.fsn, *concept.synonyms] if n]
            if any(n.startswith(query) for n in names):
                rank = 0
            elif any(query in n for n in names):
                rank = 1
            else:
                continue
            ranked.append((rank, len(concept.preferred), concept.concept_id))
        ranked.sort()
        return [self.concepts[c] for _, _, c in ranked[:limit]]

    def code_for(self, concept_id: int) -> dict[str, Any]:
        """Build the code body stored with a span; inactive concepts are refused."""
        concept = self.lookup(concept_id)
        if not concept.is_active:
            raise NonCurrentTermError(
                f"concept {concept_id} inactive",
                term=concept.fsn,
                code=concept_id,
                system=SYSTEM,
                version=self.version,
            )
        return {
            "system": SYSTEM,
            "version": self.version,
            "code": str(concept_id),
            "display": concept.preferred,
        }


def load_snomed(folder: Path, *, version: str | None = None) -> SnomedTerminology:
    """Load an RF2 snapshot (concepts, descriptions, relationships) from a folder.

    Parameters
    ----------
    folder
        A release folder; the three ``sct2_*_Snapshot*`` files are found in it
        or below it (``Snapshot/Terminology``).
    version
        The release; by default the date at the end of the concept file's
        name (``..._20250101.txt``).

    Raises
    ------
    TerminologyFileError
        A file is missing, has other columns, or a line is malformed.
    TerminologyVersionError
        No version given and none in the file name.
    """
    folder = Path(folder)
    paths = {kind: _find(folder, prefix) for kind, (prefix, _) in _FILES.items()}
    if version is None:
        found = _RELEASE_DATE.search(paths["concept"].name)
        if not found:
            raise TerminologyVersionError("no date in the file name", path=folder)
        version = found.group(1)

    concepts: dict[int, SnomedConcept] = {}
    for _, row in _rows(paths["concept"], _FILES["concept"][1]):
        concepts[int(row["id"])] = SnomedConcept(int(row["id"]), row["active"] == "1")

    for line, row in _rows(paths["description"], _FILES["description"][1]):
        if row["active"] != "1":
            continue
        concept = concepts.get(int(row["conceptId"]))
        if concept is None:
            raise TerminologyFileError(
                f"description of unknown concept {row['conceptId']}",
                path=paths["description"],
                line=line,
            )
        if int(row["typeId"]) == FULLY_SPECIFIED_NAME:
            concept.fsn = row["term"]
        elif int(row["typeId"]) == SYNONYM:
            concept.synonyms.append(row["term"])

    parents: dict[int, set[int]] = {}
    for _, row in _rows(paths["relationship"], _FILES["relationship"][1]):
        if row["active"] == "1" and int(row["typeId"]) == IS_A:
            parents.setdefault(int(row["sourceId"]), set()).add(
                int(row["destinationId"])
            )

    logger.info("SNOMED CT %s loaded: %d concepts", version, len(concepts))
    return SnomedTerminology(version, concepts, parents)


def _find(folder: Path, prefix: str) -> Path:
    matches = sorted(folder.rglob(f"{prefix}*.txt"))
    if not matches:
        raise TerminologyFileError(f"no {prefix}*.txt", path=folder, line=0)
    return matches[0]


def _rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) of a tab-separated RF2 file with a header line."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = tuple(next(reader, ()))
        if header[: len(columns)] != columns:
            raise TerminologyFileError(
                f"header {header!r}, expected {columns!r}", path=path, line=1
            )
        for number, fields in enumerate(reader, start=2):
            if not fields:
                continue
            if len(fields) < len(columns):
                raise TerminologyFileError(
                    f"{len(fields)} columns, expected {len(columns)}",
                    path=path,
                    line=number,
                )
            row = dict(zip(columns, fields, strict=False))
            if not row["id"].isdigit():
                raise TerminologyFileError(
                    f"id {row['id']!r} is not a number", path=path, line=number
                )
            yield number, row
