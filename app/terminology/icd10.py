"""ICD-10-CM lookup and search through the simple-icd-10-cm package's tabular list."""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import simple_icd_10_cm as cm

from app.terminology.errors import UnknownCodeError
from app.terminology.meddra import normalise

logger = logging.getLogger(__name__)

SYSTEM = "ICD-10-CM"
FHIR_SYSTEM = "http://hl7.org/fhir/sid/icd-10-cm"


@dataclass(frozen=True)
class Icd10Result:
    """One ICD-10-CM item: a chapter, block, category or (sub)category code.

    ``is_billable`` is True for codes with no children (the codes a claim or a
    report may carry).
    """

    code: str
    description: str
    is_billable: bool
    ancestors: tuple[str, ...]
    match: str


@functools.cache
def version() -> str:
    """Return the ICD-10-CM release the installed package carries (e.g. "2026")."""
    package = resources.files("simple_icd_10_cm") / "data"
    for entry in package.iterdir():
        if entry.name.startswith("icd10c-tabular") and entry.name.endswith(".xml"):
            head = entry.read_bytes()[:4096].decode("utf-8", "replace")
            found = re.search(r"<version>([^<]+)</version>", head)
            if found:
                return found.group(1).strip()
    # Unknown only if the package changes its data layout; codes still work.
    return "unknown"


def lookup(code: str) -> Icd10Result:
    """Return one ICD-10-CM item by code, with or without the dot ("R51.9", "R519").

    Raises
    ------
    UnknownCodeError
        The code is not in the tabular list.
    """
    wanted = code.strip().upper()
    if not cm.is_valid_item(wanted):
        raise UnknownCodeError(
            f"{wanted} not in ICD-10-CM", code=wanted, system=SYSTEM, version=version()
        )
    return _result(cm.add_dot(wanted) if "." not in wanted else wanted, "exact")


def _result(code: str, match: str) -> Icd10Result:
    return Icd10Result(
        code=code,
        description=str(cm.get_description(code)),
        is_billable=bool(cm.is_leaf(code)),
        ancestors=tuple(cm.get_ancestors(code)),
        match=match,
    )


# Known shortcoming: the first search builds this index (about 3 s here).
@functools.cache
def _index() -> tuple[tuple[str, str, str], ...]:
    """(code, folded code, folded description) of every chapter, block and code."""
    rows = []
    for code in cm.get_all_codes(True):
        rows.append((code, code.casefold(), normalise(str(cm.get_description(code)))))
    logger.info("ICD-10-CM index built: %d items", len(rows))
    return tuple(rows)


def search(
    text: str, *, limit: int = 50, billable_only: bool = False
) -> list[Icd10Result]:
    """Find ICD-10-CM items by code prefix or by words of their description.

    Parameters
    ----------
    text
        A code prefix ("R51") or words ("headache"); every word must occur
        in the description (folded with NFKC and casefold).
    limit
        The most results to return.
    billable_only
        Only codes without children.

    Returns
    -------
    list of Icd10Result
        Code-prefix matches first, then descriptions starting with the text,
        then descriptions holding every word; shorter codes first within each.
    """
    query = normalise(text)
    if not query:
        return []
    words = query.split()
    scored: list[tuple[int, int, str]] = []
    for code, folded_code, description in _index():
        if folded_code.startswith(query) or folded_code.replace(".", "").startswith(
            query
        ):
            rank = 0
        elif description.startswith(query):
            rank = 1
        elif all(word in description for word in words):
            rank = 2
        else:
            continue
        scored.append((rank, len(code), code))
    scored.sort()

    results: list[Icd10Result] = []
    names = ("code", "prefix", "words")
    for rank, _, code in scored:
        result = _result(code, names[rank])
        if billable_only and not result.is_billable:
            continue
        results.append(result)
        if len(results) >= limit:
            break
    return results


def code_for(code: str) -> dict[str, Any]:
    """Build the code body stored with a span for one ICD-10-CM code."""
    found = lookup(code)
    return {
        "system": SYSTEM,
        "version": version(),
        "code": found.code,
        "display": found.description,
        "is_billable": found.is_billable,
    }
