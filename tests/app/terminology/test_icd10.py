from __future__ import annotations

import pytest

from app.terminology import icd10
from app.terminology.errors import UnknownCodeError


def test_lookup_with_and_without_dot() -> None:
    found = icd10.lookup("R51.9")
    assert found.description == "Headache, unspecified"
    assert found.is_billable
    assert found.ancestors == ("R51", "R50-R69", "18")
    assert icd10.lookup("r519").code == "R51.9"
    assert not icd10.lookup("R51").is_billable


def test_unknown_code_refused() -> None:
    with pytest.raises(UnknownCodeError):
        icd10.lookup("R99.99")


def test_search_by_code_prefix_and_words() -> None:
    assert icd10.search("R51")[0].code == "R51"
    words = icd10.search("headache unspecified", billable_only=True)
    assert "R51.9" in [r.code for r in words]
    assert all(r.is_billable for r in words)


def test_code_body() -> None:
    body = icd10.code_for("R51.9")
    assert body["system"] == "ICD-10-CM"
    assert body["code"] == "R51.9"
    assert body["display"] == "Headache, unspecified"
    assert body["version"] == icd10.version() != "unknown"
