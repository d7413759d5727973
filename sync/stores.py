"""Where bundles go: the store interface and the folder store (share or USB drive).

A store has an inbox (workstations only ever add to it), accepted bundles
(written by ingest on the site lead's trusted machine, read by pulls) and a
quarantine holding refused bundles as evidence with their reasons and the
site lead's decisions.  The signed roster lives beside them.
"""

from __future__ import annotations

import json
import logging
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from storage.audit import utc_now
from sync.canonical import canonical_bytes, sha256_hex
from sync.errors import StoreError

logger = logging.getLogger(__name__)

_HASH_NAME = re.compile(r"^[0-9a-f]{64}$")
DECISIONS = ("released", "rejected")


@dataclass(frozen=True)
class AcceptedBundle:
    """One accepted bundle as the store indexes it.

    ``device_id`` is the device key ID: sequence numbers count per device key
    (each project on each workstation has its own key).
    """

    bundle_hash: str
    device_id: str
    sequence: int


@dataclass(frozen=True)
class QuarantineEntry:
    """A refused bundle kept as evidence.

    Attributes
    ----------
    entry
        SHA-256 of the bytes as they arrived in the inbox.
    reason
        One of :data:`sync.errors.REASONS`.
    detail
        The developer detail of the refusal.
    decision
        ``None`` until a site lead releases or rejects it.
    decision_reason
        The site lead's reason.
    """

    entry: str
    reason: str
    detail: str
    decision: str | None = None
    decision_reason: str | None = None


class Store(Protocol):
    """What push, ingest and pull need from a store."""

    location: str

    def put_inbox(self, data: bytes) -> str:
        """Add a sealed bundle to the inbox; return its entry (SHA-256 of data).

        Putting the same bytes again changes nothing.
        """
        ...

    def inbox(self) -> list[str]:
        """Entries waiting for ingest, oldest first."""
        ...

    def read_inbox(self, entry: str) -> bytes:
        """Return the bytes of one inbox entry."""
        ...

    def accept(self, entry: str, bundle: AcceptedBundle, data: bytes) -> None:
        """Keep a checked signed bundle as accepted and take it out of the inbox."""
        ...

    def drop_duplicate(self, entry: str) -> None:
        """Take an inbox entry whose bundle is already accepted out of the inbox."""
        ...

    def quarantine(self, entry: str, data: bytes, reason: str, detail: str) -> None:
        """Keep a refused bundle with its reason and take it out of the inbox."""
        ...

    def accepted(self) -> list[AcceptedBundle]:
        """Every accepted bundle."""
        ...

    def read_accepted(self, bundle_hash: str) -> bytes:
        """Return the signed bundle accepted under ``bundle_hash``."""
        ...

    def quarantined(self) -> list[QuarantineEntry]:
        """Every quarantined bundle with its reason and decision."""
        ...

    def decide(self, entry: str, decision: str, reason: str, by: str) -> None:
        """Record a site lead's release or rejection; a release re-queues it."""
        ...

    def roster(self) -> bytes | None:
        """Return the current signed roster, or None before the store is set up."""
        ...

    def put_roster(self, data: bytes, version: int) -> None:
        """Publish a signed roster version."""
        ...


# Called with a step name between the steps of a write, so that tests can stop
# the work at any boundary as a crash would.
FaultHook = Callable[[str], None]


def _no_fault(step: str) -> None:
    del step


def write_once(path: Path, data: bytes, fault: FaultHook = _no_fault) -> bool:
    """Write ``data`` to ``path`` atomically unless it is already there.

    Writes a temporary file beside it, fsyncs, renames it into place and
    fsyncs the folder, so a reader sees the whole file or none.  Returns
    False when ``path`` already holds the same bytes.

    Raises
    ------
    StoreError
        When ``path`` holds different bytes (a file is never overwritten).
    """
    if path.exists():
        if path.read_bytes() != data:
            raise StoreError("a different file already exists", path=path)
        return False
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with temporary.open("xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    fault("temporary written")
    os.replace(temporary, path)
    _fsync_folder(path.parent)
    fault("renamed")
    return True


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class FolderStore:
    """A store in a folder: ``inbox/``, ``accepted/``, ``quarantine/``, ``roster/``.

    Files are written once under their hash; moving out of the inbox is a
    write into the target folder followed by removing the inbox file, so a
    crash in between leaves a duplicate that the next ingest drops.

    Parameters
    ----------
    root
        The store folder; :meth:`create` makes it.
    fault
        Called between steps (for crash tests).
    """

    def __init__(self, root: Path, *, fault: FaultHook = _no_fault) -> None:
        self.root = Path(root)
        self._fault = fault
        self.location = str(self.root)
        if not (self.root / "inbox").is_dir():
            raise StoreError("no inbox folder: not a store", path=self.root)

    @classmethod
    def create(cls, root: Path) -> FolderStore:
        """Make the store's folders (an existing store is kept as it is)."""
        for name in ("inbox", "accepted", "quarantine", "roster"):
            (Path(root) / name).mkdir(parents=True, exist_ok=True)
        return cls(root)

    def _folder(self, name: str) -> Path:
        return self.root / name

    def put_inbox(self, data: bytes) -> str:
        """See :meth:`Store.put_inbox`."""
        entry = sha256_hex(data)
        write_once(self._folder("inbox") / f"{entry}.sealed", data, self._fault)
        return entry

    def inbox(self) -> list[str]:
        """See :meth:`Store.inbox`."""
        files = [
            p
            for p in self._folder("inbox").glob("*.sealed")
            if _HASH_NAME.match(p.stem)
        ]
        files.sort(key=lambda p: (p.stat().st_mtime_ns, p.name))
        return [p.stem for p in files]

    def read_inbox(self, entry: str) -> bytes:
        """See :meth:`Store.read_inbox`."""
        return self._read(self._folder("inbox") / f"{_checked(entry)}.sealed")

    def accept(self, entry: str, bundle: AcceptedBundle, data: bytes) -> None:
        """See :meth:`Store.accept`."""
        index = canonical_bytes(
            {"device_id": bundle.device_id, "sequence": bundle.sequence}
        )
        folder = self._folder("accepted")
        write_once(folder / f"{_checked(bundle.bundle_hash)}.index", index, self._fault)
        write_once(folder / f"{bundle.bundle_hash}.bundle", data, self._fault)
        self._remove_inbox(entry)

    def drop_duplicate(self, entry: str) -> None:
        """See :meth:`Store.drop_duplicate`."""
        self._remove_inbox(entry)

    def quarantine(self, entry: str, data: bytes, reason: str, detail: str) -> None:
        """See :meth:`Store.quarantine`."""
        folder = self._folder("quarantine")
        write_once(folder / f"{_checked(entry)}.sealed", data, self._fault)
        note = canonical_bytes({"reason": reason, "detail": detail, "at": utc_now()})
        write_once(
            folder / f"{entry}.{sha256_hex(note)[:16]}.reason", note, self._fault
        )
        self._remove_inbox(entry)

    def _remove_inbox(self, entry: str) -> None:
        path = self._folder("inbox") / f"{_checked(entry)}.sealed"
        path.unlink(missing_ok=True)
        _fsync_folder(path.parent)

    def accepted(self) -> list[AcceptedBundle]:
        """See :meth:`Store.accepted`."""
        found = []
        for path in self._folder("accepted").glob("*.index"):
            if not (path.with_suffix(".bundle")).exists():
                continue  # a crash between the two writes: not accepted yet
            fields = json.loads(self._read(path))
            found.append(
                AcceptedBundle(
                    path.stem, str(fields["device_id"]), int(fields["sequence"])
                )
            )
        found.sort(key=lambda b: (b.device_id, b.sequence, b.bundle_hash))
        return found

    def read_accepted(self, bundle_hash: str) -> bytes:
        """See :meth:`Store.read_accepted`."""
        return self._read(self._folder("accepted") / f"{_checked(bundle_hash)}.bundle")

    def quarantined(self) -> list[QuarantineEntry]:
        """See :meth:`Store.quarantined`."""
        folder = self._folder("quarantine")
        entries = []
        for path in sorted(folder.glob("*.sealed")):
            notes = [
                json.loads(self._read(p)) for p in folder.glob(f"{path.stem}.*.reason")
            ]
            notes.sort(key=lambda n: str(n["at"]))
            decisions = [
                json.loads(self._read(p))
                for p in folder.glob(f"{path.stem}.*.decision")
            ]
            decisions.sort(key=lambda d: str(d["at"]))
            last = notes[-1] if notes else {"reason": "malformed", "detail": ""}
            decision = decisions[-1] if decisions else None
            entries.append(
                QuarantineEntry(
                    path.stem,
                    str(last["reason"]),
                    str(last["detail"]),
                    None if decision is None else str(decision["decision"]),
                    None if decision is None else str(decision["reason"]),
                )
            )
        return entries

    def decide(self, entry: str, decision: str, reason: str, by: str) -> None:
        """See :meth:`Store.decide`."""
        if decision not in DECISIONS or not reason.strip():
            raise StoreError(f"decision {decision!r} needs a reason", path=self.root)
        folder = self._folder("quarantine")
        sealed = folder / f"{_checked(entry)}.sealed"
        if not sealed.exists():
            raise StoreError(f"no quarantined bundle {entry}", path=sealed)
        note = canonical_bytes(
            {"decision": decision, "reason": reason, "by": by, "at": utc_now()}
        )
        write_once(folder / f"{entry}.{sha256_hex(note)[:16]}.decision", note)
        if decision == "released":
            write_once(self._folder("inbox") / f"{entry}.sealed", self._read(sealed))

    def roster(self) -> bytes | None:
        """See :meth:`Store.roster`."""
        files = sorted(self._folder("roster").glob("roster-*.json"))
        return self._read(files[-1]) if files else None

    def put_roster(self, data: bytes, version: int) -> None:
        """See :meth:`Store.put_roster`."""
        write_once(self._folder("roster") / f"roster-{version:010d}.json", data)

    def _read(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as error:
            raise StoreError(str(error), path=path) from error


def _checked(name: str) -> str:
    if not _HASH_NAME.match(name):
        raise StoreError(f"not a SHA-256 name: {name!r}", path=name)
    return name
