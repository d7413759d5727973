"""The site roster: enrolled device and user keys, revocations, version and expiry."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from sync.canonical import Envelope, b64decode, b64encode, canonical_bytes, key_id
from sync.errors import BundleRefusedError
from sync.keys import StoreKeys, raw_public

ROSTER_PAYLOAD_TYPE = "application/vnd.haiops.roster+json;version=1"
DEFAULT_LIFETIME = timedelta(days=30)


def utc_now() -> datetime:
    """Return the current time in UTC, with its offset."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class EnrolledKey:
    """One Ed25519 key the store accepts signatures from.

    Attributes
    ----------
    key_id
        SHA-256 of the raw public key, hex.
    public_key
        The raw 32 bytes.
    kind
        ``"device"`` (signs bundles) or ``"user"`` (countersigns, signs records).
    name
        The workstation ID for a device, the user ID for a user.
    wrap_key
        A device's X25519 public key, to which the site secret is wrapped.
    last_good_sequence
        Set on revocation: bundles with a higher sequence number are refused.
        ``-1`` refuses every bundle.
    """

    key_id: str
    public_key: bytes
    kind: str
    name: str
    wrap_key: bytes | None = None
    last_good_sequence: int | None = None
    revocation_reason: str | None = None

    @property
    def is_revoked(self) -> bool:
        """Whether a site lead revoked the key."""
        return self.last_good_sequence is not None

    def ed25519(self) -> Ed25519PublicKey:
        """Return the key as a cryptography object."""
        return Ed25519PublicKey.from_public_bytes(self.public_key)

    def allows(self, sequence: int) -> bool:
        """Whether a bundle with ``sequence`` may carry this key's signature."""
        return self.last_good_sequence is None or sequence <= self.last_good_sequence

    def to_json(self) -> dict[str, Any]:
        """Return the roster's JSON form of the entry."""
        return {
            "key_id": self.key_id,
            "public_key": b64encode(self.public_key),
            "kind": self.kind,
            "name": self.name,
            "wrap_key": None if self.wrap_key is None else b64encode(self.wrap_key),
            "last_good_sequence": self.last_good_sequence,
            "revocation_reason": self.revocation_reason,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EnrolledKey:
        """Read the roster's JSON form of the entry."""
        wrap = data.get("wrap_key")
        last = data.get("last_good_sequence")
        entry = cls(
            key_id=str(data["key_id"]),
            public_key=b64decode(str(data["public_key"])),
            kind=str(data["kind"]),
            name=str(data["name"]),
            wrap_key=None if wrap is None else b64decode(str(wrap)),
            last_good_sequence=None if last is None else int(last),
            revocation_reason=data.get("revocation_reason"),
        )
        if key_id(entry.ed25519()) != entry.key_id:
            raise ValueError(f"key ID does not match key {entry.key_id}")
        return entry


@dataclass(frozen=True)
class Roster:
    """The signed list of keys a site's store accepts.

    Attributes
    ----------
    site_id
        The site.
    version
        Grows by one with every change; a workstation keeps the highest.
    issued_at, expires_at
        UTC times; after ``expires_at`` workstations stop signing until they sync.
    encryption_key
        The store's X25519 public key (raw bytes) that bundles are sealed to.
    keys
        Enrolled keys, revoked ones included.
    """

    site_id: str
    version: int
    issued_at: datetime
    expires_at: datetime
    encryption_key: bytes
    keys: tuple[EnrolledKey, ...] = field(default=())

    @classmethod
    def first(cls, store_keys: StoreKeys, *, now: datetime | None = None) -> Roster:
        """Return the empty roster a new store starts with (version 1)."""
        now = now or utc_now()
        return cls(
            store_keys.site_id,
            1,
            now,
            now + DEFAULT_LIFETIME,
            raw_public(store_keys.encryption.public_key()),
        )

    def find(self, keyid: str) -> EnrolledKey | None:
        """Return the entry of ``keyid``, or None."""
        return next((key for key in self.keys if key.key_id == keyid), None)

    def device(self, device_id: str) -> EnrolledKey | None:
        """Return the latest enrolled device key of a workstation, or None."""
        found = [k for k in self.keys if k.kind == "device" and k.name == device_id]
        return found[-1] if found else None

    def is_expired(self, now: datetime | None = None) -> bool:
        """Whether the roster's expiry has passed."""
        return (now or utc_now()) >= self.expires_at

    def encryption_public_key(self) -> X25519PublicKey:
        """Return the store's public key for sealing bundles."""
        return X25519PublicKey.from_public_bytes(self.encryption_key)

    def with_key(self, entry: EnrolledKey, *, now: datetime | None = None) -> Roster:
        """Return a next version with ``entry`` enrolled (replacing its key ID's)."""
        kept = tuple(k for k in self.keys if k.key_id != entry.key_id)
        return self._next((*kept, entry), now)

    def with_revocation(
        self,
        keyid: str,
        last_good_sequence: int,
        reason: str,
        *,
        now: datetime | None = None,
    ) -> Roster:
        """Return a next version revoking ``keyid`` after ``last_good_sequence``."""
        entry = self.find(keyid)
        if entry is None:
            raise KeyError(keyid)
        revoked = replace(
            entry, last_good_sequence=last_good_sequence, revocation_reason=reason
        )
        return self.with_key(revoked, now=now)

    def renewed(self, *, now: datetime | None = None) -> Roster:
        """Return a next version with the same keys and a fresh expiry."""
        return self._next(self.keys, now)

    def _next(self, keys: tuple[EnrolledKey, ...], now: datetime | None) -> Roster:
        now = now or utc_now()
        return replace(
            self,
            version=self.version + 1,
            issued_at=now,
            expires_at=now + DEFAULT_LIFETIME,
            keys=keys,
        )

    def to_json(self) -> dict[str, Any]:
        """Return the roster's JSON form (the signed payload)."""
        return {
            "format": "haiops-roster",
            "site_id": self.site_id,
            "version": self.version,
            "issued_at": self.issued_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "encryption_key": b64encode(self.encryption_key),
            "keys": [key.to_json() for key in self.keys],
        }

    def sign(self, store_keys: StoreKeys) -> bytes:
        """Return the roster as a DSSE envelope signed with the store's roster key."""
        if store_keys.site_id != self.site_id:
            raise ValueError("the roster and the store keys name different sites")
        envelope = Envelope(ROSTER_PAYLOAD_TYPE, canonical_bytes(self.to_json()))
        return canonical_bytes(envelope.signed_by(store_keys.roster).to_json())


def read_roster(data: bytes, roster_key: Ed25519PublicKey, *, path: str = "") -> Roster:
    """Check a signed roster against the store's roster key and read it.

    Raises
    ------
    BundleRefusedError
        With reason ``"roster"`` when it is not a roster signed by that key.
    """
    try:
        envelope = Envelope.from_json(json.loads(data))
        if envelope.payload_type != ROSTER_PAYLOAD_TYPE:
            raise ValueError(f"payload type {envelope.payload_type}")  # noqa: TRY301 -- one refusal path
        envelope.verify([roster_key])
        fields = json.loads(envelope.payload)
        return Roster(
            site_id=str(fields["site_id"]),
            version=int(fields["version"]),
            issued_at=datetime.fromisoformat(fields["issued_at"]),
            expires_at=datetime.fromisoformat(fields["expires_at"]),
            encryption_key=b64decode(fields["encryption_key"]),
            keys=tuple(EnrolledKey.from_json(k) for k in fields["keys"]),
        )
    except (ValueError, KeyError, TypeError, LookupError, InvalidSignature) as error:
        raise BundleRefusedError(
            f"roster: {type(error).__name__} {error}", path=path, reason="roster"
        ) from error


def device_entry(request: dict[str, Any]) -> EnrolledKey:
    """Return the roster entry for a workstation's enrolment request."""
    if request.get("format") != "haiops-enrolment-request":
        raise ValueError("not an enrolment request")
    public = b64decode(str(request["signing_key"]))
    return EnrolledKey(
        key_id=key_id(Ed25519PublicKey.from_public_bytes(public)),
        public_key=public,
        kind="device",
        name=str(request["device_id"]),
        wrap_key=b64decode(str(request["wrap_key"])),
    )


def user_entry(user_id: str, public_key: Ed25519PublicKey) -> EnrolledKey:
    """Return the roster entry for a user's signing key."""
    return EnrolledKey(
        key_id=key_id(public_key),
        public_key=raw_public(public_key),
        kind="user",
        name=user_id,
    )
