"""A workstation's side of sync: enrolment, push, pull and status.

Everything sync keeps on a workstation (device keys, the pinned roster key,
the roster, the wrapped site secret, sequence numbers, held bundles) is an
asset of kind ``sync`` inside the encrypted project, never a clear file.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from storage.assets import get_asset, list_assets, put_asset
from storage.audit import utc_now
from storage.checkpoints import make_checkpoint
from storage.errors import PermissionDeniedError, RecordError
from storage.project import Project
from storage.records import Revision
from sync.bundle import (
    GENESIS,
    REVISIONS_FILE,
    Bundle,
    build_bundle,
    seal,
    verify_bundle,
)
from sync.canonical import b64decode, b64encode, canonical_bytes
from sync.deidentify import Deidentifier, SharingPolicy, pseudonym_uid, pseudonyms_in
from sync.errors import (
    BundleRefusedError,
    NotEnrolledError,
    RosterExpiredError,
    StoreError,
    WithholdError,
)
from sync.keys import DeviceKeys, unwrap_site_secret
from sync.merge import MergeOutcome, MergeState, apply_bundle
from sync.roster import Roster, read_roster
from sync.stores import Store
from sync.withhold import WITHHELD_TYPE, revision_digest, stub_row, withheld_revisions

logger = logging.getLogger(__name__)

KIND = "sync"
ENROLMENT_FORMAT = "haiops-enrolment"
# The Sync window's own assets (store location, last sync); the command line
# reads the store location from here too.
APP_KIND = "sync_app"
_STORE_KEY = "store_location"
# A PostgreSQL URL with a password in it; passwords belong in .pgpass.
_URL_PASSWORD = re.compile(r"password\s*=|://[^/@:\s]+:[^/@\s]+@", re.IGNORECASE)

# Called with a step name between the steps of push and pull, so that tests
# can stop the work at any boundary as a crash would.
FaultHook = Callable[[str], None]


def _no_fault(step: str) -> None:
    del step


@dataclass(frozen=True)
class SyncState:
    """The workstation's sync counters, stored as one versioned asset.

    Attributes
    ----------
    version
        Grows with every save (the asset version).
    sequence
        The sequence number of the last bundle pushed.
    last_bundle_hash
        Its hash (64 zeros before the first).
    cursor
        The local revision number up to which revisions were bundled.
    pending
        A bundle built but not yet confirmed in the store:
        ``{"sequence", "hash", "cursor"}``; its bytes are the asset
        ``bundle/<hash>``.
    merge
        What was applied from other devices.
    """

    version: int = 0
    sequence: int = 0
    last_bundle_hash: str = GENESIS
    cursor: int = 0
    pending: dict[str, Any] | None = None
    merge: MergeState = field(default_factory=MergeState)

    def to_bytes(self) -> bytes:
        """Canonical JSON."""
        return canonical_bytes(
            {
                "version": self.version,
                "sequence": self.sequence,
                "last_bundle_hash": self.last_bundle_hash,
                "cursor": self.cursor,
                "pending": self.pending,
                "merge": self.merge.to_json(),
            }
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> SyncState:
        """Read :meth:`to_bytes` output."""
        fields = json.loads(data)
        return cls(
            version=int(fields["version"]),
            sequence=int(fields["sequence"]),
            last_bundle_hash=str(fields["last_bundle_hash"]),
            cursor=int(fields["cursor"]),
            pending=fields.get("pending"),
            merge=MergeState.from_json(fields.get("merge", {})),
        )


def load_state(project: Project) -> SyncState:
    """Return the newest saved state, or a fresh one."""
    data = get_asset(project, KIND, "state")
    return SyncState() if data is None else SyncState.from_bytes(data)


def save_state(project: Project, state: SyncState) -> SyncState:
    """Save ``state`` as the next version and return it with that version."""
    saved = replace(state, version=state.version + 1)
    put_asset(project, KIND, "state", saved.to_bytes(), version=f"{saved.version:012d}")
    return saved


def device_keys(project: Project) -> DeviceKeys:
    """Return this workstation's device keys for the project, made on first use."""
    key = f"device_keys/{project.workstation_id}"
    data = get_asset(project, KIND, key)
    if data is not None:
        return DeviceKeys.from_bytes(data)
    keys = DeviceKeys.generate(project.workstation_id)
    put_asset(project, KIND, key, keys.to_bytes(), version="1")
    logger.info("Made a device key for this workstation")
    return keys


def enrolment_request(project: Project) -> dict[str, Any]:
    """Return the public enrolment request for ``haiops store enrol``."""
    return device_keys(project).enrolment_request()


@dataclass(frozen=True)
class Enrolment:
    """What the site lead gave this workstation: site, pinned roster key, secret."""

    site_id: str
    roster_key: Ed25519PublicKey
    wrapped_secret: bytes


def join(project: Project, package: bytes, *, path: str = "") -> Roster:
    """Take an enrolment package from the site lead; return the roster in it.

    Checks the roster's signature with the roster key the package pins, that
    this workstation's device key is enrolled in it, and that the site secret
    unwraps with the device key; then keeps all three in the project.
    """
    try:
        fields = json.loads(package)
        if fields.get("format") != ENROLMENT_FORMAT:
            raise ValueError("not an enrolment package")  # noqa: TRY301 -- one refusal path
        site_id = str(fields["site_id"])
        roster_key = Ed25519PublicKey.from_public_bytes(b64decode(fields["roster_key"]))
        roster_bytes = b64decode(fields["roster"])
        wrapped = b64decode(fields["wrapped_secret"])
    except (ValueError, KeyError, TypeError) as error:
        raise NotEnrolledError(str(error), path=path, missing="package") from error
    roster = read_roster(roster_bytes, roster_key, path=path)
    keys = device_keys(project)
    entry = roster.find(keys.key_id)
    if entry is None or roster.site_id != site_id:
        raise NotEnrolledError("this device key is not in the roster", missing="key")
    unwrap_site_secret(wrapped, site_id, keys)

    with project.records.transaction():
        put_asset(project, KIND, "enrolment", package, version=_stamp())
        _keep_roster(project, roster, roster_bytes)
    logger.info("Joined site store, roster version %d", roster.version)
    return roster


def _stamp() -> str:
    return utc_now()


def enrolment(project: Project) -> Enrolment:
    """Return the enrolment this workstation holds."""
    data = get_asset(project, KIND, "enrolment")
    if data is None:
        raise NotEnrolledError("no enrolment package", missing="enrolment")
    fields = json.loads(data)
    return Enrolment(
        str(fields["site_id"]),
        Ed25519PublicKey.from_public_bytes(b64decode(fields["roster_key"])),
        b64decode(fields["wrapped_secret"]),
    )


def current_roster(project: Project) -> Roster:
    """Return the newest roster kept in the project, checked with the pinned key."""
    pinned = enrolment(project)
    versions = list_assets(project, KIND)
    rosters = sorted(v for k, v, _ in versions if k == "roster")
    if not rosters:
        raise NotEnrolledError("no roster", missing="roster")
    data = get_asset(project, KIND, "roster", version=rosters[-1])
    assert data is not None
    return read_roster(data, pinned.roster_key)


def _keep_roster(project: Project, roster: Roster, data: bytes) -> None:
    put_asset(project, KIND, "roster", data, version=f"{roster.version:010d}")


def refresh_roster(project: Project, store: Store) -> Roster:
    """Take a newer roster from the store when it is signed by the pinned key."""
    held = current_roster(project)
    data = store.roster()
    if data is None:
        return held
    offered = read_roster(data, enrolment(project).roster_key, path=store.location)
    if offered.site_id != held.site_id or offered.version <= held.version:
        return held
    _keep_roster(project, offered, data)
    logger.info("Roster updated to version %d", offered.version)
    return offered


def site_secret(project: Project) -> bytes:
    """Return the site's pseudonym secret, unwrapped with the device key."""
    pinned = enrolment(project)
    return unwrap_site_secret(
        pinned.wrapped_secret, pinned.site_id, device_keys(project)
    )


def pseudonym_map(project: Project, uids: Iterable[str]) -> dict[str, str]:
    """Return pseudonym -> UID for this workstation's own DICOM UIDs.

    Pulled records name images by pseudonym; a viewer holding the same series
    finds its slices through this map (the site secret makes the same
    pseudonyms on every enrolled workstation).
    """
    secret = site_secret(project)
    return {pseudonym_uid(secret, uid): uid for uid in uids}


def sharing_policy(project: Project) -> SharingPolicy:
    """Return the project's policy on text leaving the workstation (default: none)."""
    data = get_asset(project, KIND, "policy")
    if data is None:
        return SharingPolicy()
    return SharingPolicy(share_text=bool(json.loads(data).get("share_text", False)))


def set_sharing_policy(project: Project, policy: SharingPolicy) -> None:
    """Set the project's policy (kept as a new asset version)."""
    data = canonical_bytes({"share_text": policy.share_text})
    put_asset(project, KIND, "policy", data, version=_stamp())


def known_patient_strings(project: Project) -> set[str]:
    """Patient names, IDs and dates the importers recorded, for the gate."""
    found: set[str] = set()
    for key, version, _ in list_assets(project, KIND):
        if key == "patient_strings":
            data = get_asset(project, KIND, key, version=version)
            found.update(json.loads(data or b"[]"))
    return found


def remember_patient_strings(project: Project, strings: Iterable[str]) -> None:
    """Record identifying strings of imported data so the gate can refuse them."""
    values = sorted(set(strings))
    if values:
        data = canonical_bytes(values)
        put_asset(project, KIND, "patient_strings", data, version=_stamp())


@dataclass(frozen=True)
class PushResult:
    """What a push did: ``sequence`` 0 and ``record_count`` 0 if nothing to send."""

    sequence: int
    bundle_hash: str
    record_count: int
    entry: str = ""


def push(
    project: Project,
    store: Store,
    *,
    now: datetime | None = None,
    patient_strings: Iterable[str] = (),
    fault: FaultHook = _no_fault,
) -> PushResult:
    """Bundle the revisions made here since the last push and put it in the inbox.

    A bundle built but not confirmed (the push was interrupted) is sent again
    byte for byte, so a resumed push neither loses nor duplicates records.

    Raises
    ------
    RosterExpiredError
        When the roster expired and the store offers no newer one.
    IdentifierFoundError
        When the gate finds a direct identifier; nothing is written.
    """
    roster = refresh_roster(project, store)
    if roster.is_expired(now):
        raise RosterExpiredError(expires=roster.expires_at.isoformat())
    state = load_state(project)
    fault("start")

    # A bundle from an interrupted push goes out again unchanged.
    if state.pending is None:
        built = _build(project, state, roster, patient_strings)
        if built is None:
            return PushResult(0, state.last_bundle_hash, 0)
        bundle, cursor, built_bytes = built
        fault("built")
        with project.records.transaction():
            put_asset(project, KIND, "bundle", built_bytes, version=bundle.bundle_hash)
            fresh: dict[str, Any] = {
                "sequence": bundle.manifest.sequence,
                "hash": bundle.bundle_hash,
                "cursor": cursor,
                "records": bundle.manifest.record_count,
            }
            state = save_state(project, replace(state, pending=fresh))
        fault("pending saved")
    pending = state.pending
    if pending is None:
        raise AssertionError("a pending bundle was just saved")
    sealed = get_asset(project, KIND, "bundle", version=str(pending["hash"]))
    if sealed is None:
        raise NotEnrolledError("the pending bundle is missing", missing="bundle")

    entry = store.put_inbox(sealed)
    fault("stored")

    state = save_state(
        project,
        replace(
            state,
            sequence=int(pending["sequence"]),
            last_bundle_hash=str(pending["hash"]),
            cursor=int(pending["cursor"]),
            pending=None,
        ),
    )
    fault("done")
    logger.info(
        "Pushed bundle %d with %d records", pending["sequence"], pending["records"]
    )
    return PushResult(
        int(pending["sequence"]), str(pending["hash"]), int(pending["records"]), entry
    )


def _build(
    project: Project,
    state: SyncState,
    roster: Roster,
    patient_strings: Iterable[str],
) -> tuple[Bundle, int, bytes] | None:
    rows = project.records.since(state.cursor)
    if not rows:
        return None
    withheld = withheld_revisions(project.records)
    cleaner = Deidentifier(
        site_secret(project),
        sharing_policy(project),
        [*known_patient_strings(project), *patient_strings],
        _known_pseudonyms(project),
    )

    # Withheld revisions travel as stubs; the withheld records stay here.
    cleaned = []
    for _, revision in rows:
        if revision.record_type == WITHHELD_TYPE:
            continue
        by = withheld.get(revision.revision_id)
        row = revision.to_json() if by is None else stub_row(revision, by)
        cleaned.append(cleaner.clean(row))
    if not cleaned:
        save_state(project, replace(state, cursor=rows[-1][0]))
        return None

    keys = device_keys(project)
    bundle = build_bundle(
        cleaned,
        site_id=roster.site_id,
        device_id=keys.device_id,
        device_key=keys.signing,
        sequence=state.sequence + 1,
        previous_bundle_hash=state.last_bundle_hash,
        created_at=utc_now(),
        checkpoint=lambda: make_checkpoint(project, purpose="bundle"),
        share_text=cleaner.policy.share_text,
        gate=cleaner.gate,
    )
    sealed = seal(bundle.to_bytes(), roster.site_id, roster.encryption_public_key())
    return bundle, rows[-1][0], sealed


@dataclass
class PullResult:
    """What a pull did, bundle by bundle."""

    applied: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    added: int = 0
    gaps: dict[str, list[int]] = field(default_factory=dict)


def pull(project: Project, store: Store, *, fault: FaultHook = _no_fault) -> PullResult:
    """Apply the store's accepted bundles that this workstation has not applied.

    Each is checked again against the workstation's roster; a refused one is
    reported with its reason and nothing from it is applied.
    """
    roster = refresh_roster(project, store)
    state = load_state(project)
    result = PullResult()
    for accepted in store.accepted():
        last = state.merge.applied.get(accepted.device_id, (0, GENESIS))[0]
        if accepted.sequence <= last or accepted.bundle_hash in state.merge.held:
            continue
        data = store.read_accepted(accepted.bundle_hash)
        try:
            bundle = verify_bundle(data, roster, path=accepted.bundle_hash)
            state, outcome = _apply(project, state, bundle, data, roster)
        except BundleRefusedError as error:
            result.refused.append((accepted.bundle_hash, error.reason))
            logger.warning(
                "Refused bundle %s: %s", accepted.bundle_hash[:12], error.reason
            )
            continue
        fault("applied")
        _tally(result, accepted.bundle_hash, outcome)
    result.gaps = state.merge.gaps()
    logger.info(
        "Pulled %d bundles (%d records), %d held",
        len(result.applied),
        result.added,
        len(result.held),
    )
    return result


def _apply(
    project: Project, state: SyncState, bundle: Bundle, data: bytes, roster: Roster
) -> tuple[SyncState, MergeOutcome]:
    def read_held(bundle_hash: str) -> Bundle:
        held = get_asset(project, KIND, "held", version=bundle_hash)
        if held is None:
            raise BundleRefusedError("held bundle missing", reason="malformed")
        return verify_bundle(held, roster, path=bundle_hash)

    # Records, held bytes and the new state commit together or not at all.
    with project.records.transaction():
        merge, outcome = apply_bundle(project.records, state.merge, bundle, read_held)
        if outcome.status == "held":
            put_asset(project, KIND, "held", data, version=bundle.bundle_hash)
        if outcome.status != "already applied":
            state = save_state(project, replace(state, merge=merge))
            _remember_pseudonyms(project, bundle)
    return state, outcome


def _remember_pseudonyms(project: Project, bundle: Bundle) -> None:
    """Keep the pseudonyms a bundle brought, so revising here keeps them as they are."""
    rows = json.loads(bundle.files[REVISIONS_FILE])
    found = pseudonyms_in(rows)
    if found:
        data = canonical_bytes(sorted(found))
        put_asset(project, KIND, "pseudonyms", data, version=bundle.bundle_hash)


def _known_pseudonyms(project: Project) -> set[str]:
    found: set[str] = set()
    for key, version, _ in list_assets(project, KIND):
        if key == "pseudonyms":
            found.update(
                json.loads(get_asset(project, KIND, key, version=version) or b"[]")
            )
    return found


def _tally(result: PullResult, bundle_hash: str, outcome: MergeOutcome) -> None:
    if outcome.status == "applied":
        result.applied.extend([bundle_hash, *outcome.released])
        result.added += outcome.added
    elif outcome.status == "held":
        result.held.append(bundle_hash)
    else:
        result.already.append(bundle_hash)


def apply_file(project: Project, data: bytes, *, path: str = "") -> MergeOutcome:
    """Check and apply one signed bundle file (e.g. carried on a USB drive)."""
    roster = current_roster(project)
    bundle = verify_bundle(data, roster, path=path)
    _, outcome = _apply(project, load_state(project), bundle, data, roster)
    return outcome


@dataclass(frozen=True)
class Status:
    """What ``haiops sync status`` shows."""

    device_id: str
    device_key_id: str
    site_id: str | None
    roster_version: int | None
    roster_expires: str | None
    is_roster_expired: bool
    sequence: int
    pending: int
    unsent: int
    applied: dict[str, int]
    gaps: dict[str, list[int]]
    conflicts: int


def status(project: Project, *, now: datetime | None = None) -> Status:
    """Return the workstation's sync status."""
    keys = device_keys(project)
    state = load_state(project)
    try:
        roster: Roster | None = current_roster(project)
    except NotEnrolledError:
        roster = None
    unsent = len(_outgoing(project, state.cursor))
    return Status(
        device_id=keys.device_id,
        device_key_id=keys.key_id,
        site_id=None if roster is None else roster.site_id,
        roster_version=None if roster is None else roster.version,
        roster_expires=None if roster is None else roster.expires_at.isoformat(),
        is_roster_expired=roster is not None and roster.is_expired(now),
        sequence=state.sequence,
        pending=0 if state.pending is None else int(state.pending["sequence"]),
        unsent=unsent,
        applied={d: s for d, (s, _) in state.merge.applied.items()},
        gaps=state.merge.gaps(),
        conflicts=len(project.records.conflicts()),
    )


def _outgoing(project: Project, cursor: int) -> list[Revision]:
    """Revisions made here after ``cursor`` that a bundle will carry."""
    return [
        revision
        for _, revision in project.records.since(cursor)
        if revision.record_type != WITHHELD_TYPE
    ]


def withhold(project: Project, revision_id: str, *, reason: str) -> Revision:
    """Withhold a revision from bundles; return the ``withheld`` record.

    The way out when the gate refuses a revision: revise (or delete) the
    record so that its current state may travel, then withhold the refused
    revision.  Bundles carry it as a stub (:mod:`sync.withhold`); the record
    and its audit entry keep the reason here.

    Parameters
    ----------
    project
        The signed-in project; the user must be the revision's author or a
        site lead.
    revision_id
        The revision to withhold: made here, not yet in a bundle, and not
        the live head of its record.
    reason
        Why it is withheld (required; it stays on this workstation).

    Raises
    ------
    WithholdError
        When there is no reason or the revision cannot be withheld.
    PermissionDeniedError
        When the user is neither its author nor a site lead.
    """
    reason = reason.strip()
    try:
        revision = project.records.revision(revision_id)
    except RecordError:
        revision = None
    problem = None
    if not reason:
        problem = "a reason is needed"
    elif revision is None:
        problem = "there is no such revision"
    elif revision.record_type == WITHHELD_TYPE:
        problem = "it is a withholding itself"
    elif revision_id in withheld_revisions(project.records):
        problem = "it is already withheld"
    elif revision_id not in _unbundled(project):
        problem = "it was not made here or is already in a bundle"
    elif not revision.is_deleted and any(
        head.revision_id == revision_id
        for head in project.records.heads(revision.record_id)
    ):
        problem = "it is the current state of its record"
    if problem is not None:
        raise WithholdError(problem, revision=revision_id, problem=problem)
    assert revision is not None  # every other case is a problem above
    user = project.user
    if user.user_id != revision.author and "site_lead" not in user.roles:
        raise PermissionDeniedError(
            "withhold a revision of another author",
            user=user.user_id,
            action="withhold a revision of another author",
        )

    withheld = project.records.create(
        WITHHELD_TYPE,
        {
            "revision_id": revision.revision_id,
            "record_id": revision.record_id,
            "record_type": revision.record_type,
            "sha256": revision_digest(revision),
        },
        reason=reason,
    )
    logger.info("Withheld a %s revision from bundles", revision.record_type)
    return withheld


def _unbundled(project: Project) -> set[str]:
    """IDs of revisions made here that no bundle, sent or waiting, holds yet."""
    state = load_state(project)
    cursor = state.cursor if state.pending is None else int(state.pending["cursor"])
    return {revision.revision_id for revision in _outgoing(project, cursor)}


def store_location(project: Project) -> str | None:
    """Return the store location saved in the project (by the Sync window), if any.

    Returns
    -------
    str or None
        A store folder or a PostgreSQL connection string (never a password).
    """
    data = get_asset(project, APP_KIND, _STORE_KEY)
    return None if data is None else data.decode("utf-8")


def set_store_location(project: Project, location: str) -> None:
    """Save ``location`` as the project's store.

    Raises
    ------
    StoreError
        When the location is empty or holds a password.
    """
    location = location.strip()
    if not location:
        raise StoreError("no store location given", path="")
    if _URL_PASSWORD.search(location):
        # The path field would show the password in a message: name no value.
        raise StoreError("a password in the store location", path="(PostgreSQL URL)")
    if store_location(project) == location:
        return
    put_asset(
        project, APP_KIND, _STORE_KEY, location.encode("utf-8"), version=utc_now()
    )


def make_enrolment_package(
    roster_signed: bytes, roster: Roster, roster_key: bytes, wrapped: bytes, device: str
) -> bytes:
    """Return the package for an enrolled workstation (no secret in clear).

    Parameters
    ----------
    roster_signed
        The signed roster that enrols the device.
    roster
        The same roster, read.
    roster_key
        The store's roster public key (raw bytes), which the workstation pins.
    wrapped
        The site secret wrapped to the device (:func:`sync.keys.wrap_site_secret`).
    device
        The device ID.
    """
    return canonical_bytes(
        {
            "format": ENROLMENT_FORMAT,
            "site_id": roster.site_id,
            "device_id": device,
            "roster_key": b64encode(roster_key),
            "roster": b64encode(roster_signed),
            "wrapped_secret": b64encode(wrapped),
        }
    )
