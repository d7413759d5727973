"""Withheld revisions: kept at the site, carried in bundles as stubs without a body.

When the gate refuses a revision (a patient's name typed into a note while
text may travel), its author or a site lead revises the record and withholds
the old revision with a reason: a local record of type ``withheld`` names it,
and the record store audits it with the reason.  Bundles then carry that
revision as a stub: its IDs, supersession links, author, workstation, time
and deleted flag, and the SHA-256 of its canonical form (RFC 8785) in place
of its body and reason.  The chain of revisions stays complete at the store
and on other workstations; the content never leaves.  ``withheld`` records
themselves stay local (their reason may name what was withheld).
"""

from __future__ import annotations

from typing import Any

from storage.records import RecordStore, Revision
from sync.canonical import sha256_hex

WITHHELD_TYPE = "withheld"
# The only key of a stub's body.
STUB_KEY = "withheld"


def revision_digest(revision: Revision) -> str:
    """Return the SHA-256 of a revision's canonical form, as 64 hex digits."""
    # Known shortcoming: the hash is unkeyed, so whoever holds a stub can confirm
    # a guessed short body (e.g. one name in a one-line note) by hashing it.
    return sha256_hex(revision.canonical_bytes())


def withheld_revisions(records: RecordStore) -> dict[str, Revision]:
    """Return revision ID -> the live ``withheld`` record that withholds it."""
    return {
        str(record.body["revision_id"]): record
        for record in records.current(WITHHELD_TYPE)
    }


def stub_row(revision: Revision, withheld: Revision) -> dict[str, Any]:
    """Return the JSON row a bundle carries for a withheld revision.

    Parameters
    ----------
    revision
        The withheld revision (read here, with its body).
    withheld
        The ``withheld`` record naming it: who withheld it and when.

    Returns
    -------
    dict
        The revision's JSON form with ``reason`` None and a body holding only
        ``{"withheld": {"sha256", "withheld_by", "withheld_at"}}``.
    """
    row = revision.to_json()
    row["reason"] = None
    row["body"] = {
        STUB_KEY: {
            "sha256": revision_digest(revision),
            "withheld_by": withheld.author,
            "withheld_at": withheld.created_at,
        }
    }
    return row


def is_stub(revision: Revision) -> bool:
    """Whether a revision is the stub of one withheld at its site."""
    marker = revision.body.get(STUB_KEY)
    return (
        len(revision.body) == 1
        and isinstance(marker, dict)
        and isinstance(marker.get("sha256"), str)
    )


def stub_digest(revision: Revision) -> str | None:
    """Return the SHA-256 a stub carries, or None when it is not a stub."""
    return str(revision.body[STUB_KEY]["sha256"]) if is_stub(revision) else None
