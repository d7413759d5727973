"""Apply checked bundles to a project's records: idempotent, any order, gaps held.

Revisions are immutable and named by UUID, so applying a revision twice is a
no-op and the set of revisions after applying a group of bundles does not
depend on their order.  A device's bundles must still follow each other: one
whose sequence number skips ahead is held until the missing one arrives.  Two
revisions superseding the same parent stay as a conflict
(``RecordStore.conflicts()``) until someone resolves it with a new revision.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from storage.records import RecordStore
from sync.bundle import GENESIS, Bundle
from sync.errors import BundleRefusedError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MergeState:
    """What a workstation knows about other devices' bundles.

    Attributes
    ----------
    applied
        ``device key ID -> (sequence, bundle hash)`` of the last bundle applied.
        Sequence numbers count per device key: each project on each
        workstation has its own.
    held
        ``bundle hash -> (device key ID, sequence)`` of bundles waiting for a gap.
    """

    applied: dict[str, tuple[int, str]] = field(default_factory=dict)
    held: dict[str, tuple[str, int]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Return the state's JSON form."""
        return {
            "applied": {d: [s, h] for d, (s, h) in sorted(self.applied.items())},
            "held": {h: [d, s] for h, (d, s) in sorted(self.held.items())},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MergeState:
        """Read :meth:`to_json` output."""
        return cls(
            {
                str(d): (int(v[0]), str(v[1]))
                for d, v in data.get("applied", {}).items()
            },
            {str(h): (str(v[0]), int(v[1])) for h, v in data.get("held", {}).items()},
        )

    def gaps(self) -> dict[str, list[int]]:
        """Missing sequence numbers per device, from the held bundles."""
        missing: dict[str, list[int]] = {}
        for device, sequence in self.held.values():
            last = self.applied.get(device, (0, GENESIS))[0]
            held = {s for d, s in self.held.values() if d == device}
            missing[device] = [s for s in range(last + 1, sequence) if s not in held]
        return {d: sorted(set(s)) for d, s in missing.items() if s}


@dataclass(frozen=True)
class MergeOutcome:
    """What applying one bundle did.

    Attributes
    ----------
    status
        ``"applied"``, ``"already applied"`` or ``"held"``.
    added
        Revisions inserted (from this bundle and any held ones it released).
    released
        Held bundles applied after this one closed their gap.
    """

    status: str
    added: int = 0
    released: tuple[str, ...] = ()


# Reads a held bundle's checked contents back (the caller keeps their bytes).
HeldReader = Callable[[str], Bundle]


def apply_bundle(
    records: RecordStore,
    state: MergeState,
    bundle: Bundle,
    read_held: HeldReader,
) -> tuple[MergeState, MergeOutcome]:
    """Apply a checked bundle; return the new state and what happened.

    Parameters
    ----------
    records
        The project's record store.
    state
        The state before; not changed (a new one is returned).
    bundle
        Checked with :func:`sync.bundle.verify_bundle`.
    read_held
        Returns a held bundle by hash (checked again by the caller).

    Raises
    ------
    BundleRefusedError
        ``fork`` when the bundle's sequence number is taken by another bundle
        or it does not follow the previous one.
    """
    manifest = bundle.manifest
    last_sequence, last_hash = state.applied.get(manifest.device_key_id, (0, GENESIS))

    # Validate: the same bundle again, an old one, or one from the future.
    if manifest.sequence <= last_sequence:
        if manifest.sequence == last_sequence and bundle.bundle_hash != last_hash:
            raise BundleRefusedError(
                f"sequence {manifest.sequence} already taken", reason="fork"
            )
        return state, MergeOutcome("already applied")
    if manifest.sequence > last_sequence + 1:
        held = {
            **state.held,
            bundle.bundle_hash: (manifest.device_key_id, manifest.sequence),
        }
        logger.info(
            "Held bundle %s: sequence %d, expected %d",
            bundle.bundle_hash[:12],
            manifest.sequence,
            last_sequence + 1,
        )
        return replace(state, held=held), MergeOutcome("held")
    if manifest.previous_bundle_hash != last_hash:
        raise BundleRefusedError(
            f"sequence {manifest.sequence} does not follow the last bundle",
            reason="fork",
        )

    added = _insert(records, bundle)
    state = replace(
        state,
        applied={
            **state.applied,
            manifest.device_key_id: (manifest.sequence, bundle.bundle_hash),
        },
        held={h: v for h, v in state.held.items() if h != bundle.bundle_hash},
    )

    # Release held bundles of the device that now follow without a gap.
    released: list[str] = []
    while True:
        sequence = state.applied[manifest.device_key_id][0] + 1
        following = [
            h
            for h, (d, s) in state.held.items()
            if (d, s) == (manifest.device_key_id, sequence)
        ]
        if not following:
            break
        state, outcome = apply_bundle(
            records, state, read_held(following[0]), read_held
        )
        added += outcome.added
        released.append(following[0])
        released.extend(outcome.released)
        if outcome.status != "applied":
            break
    return state, MergeOutcome("applied", added, tuple(released))


def _insert(records: RecordStore, bundle: Bundle) -> int:
    """Insert every revision of a bundle in one transaction; count the new ones."""
    added = 0
    with records.transaction():
        for revision in bundle.revisions():
            added += records.add_foreign(revision)
    return added
