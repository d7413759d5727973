"""Ed25519 signing keys of users and workstations, registered in the project.

A user's private key lives only in the key file, wrapped under the user's
password; the workstation's private key lives in the settings folder of the
machine. The project database holds every public key with its owner and, once
revoked, the time of revocation: signatures made before it stay valid history.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from storage.audit import utc_now
from storage.private_files import make_private_folder

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeyInfo:
    """A registered public key: who owns it, since when, revoked when."""

    key_id: str
    owner_kind: str  # "user" or "workstation"
    owner_id: str
    public_key: bytes
    created_at: str
    revoked_at: str | None


def new_key_pair() -> tuple[bytes, bytes]:
    """Return ``(private, public)`` raw 32-byte Ed25519 keys."""
    private = Ed25519PrivateKey.generate()
    return (
        private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()),
        private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
    )


def key_id_of(public: bytes) -> str:
    """Return the ID of a public key: the first 32 hex digits of its SHA-256."""
    return hashlib.sha256(public).hexdigest()[:32]


def sign(private: bytes, message: bytes) -> bytes:
    """Return the Ed25519 signature of ``message``."""
    return Ed25519PrivateKey.from_private_bytes(private).sign(message)


def verify(public: bytes, signature: bytes, message: bytes) -> bool:
    """Whether ``signature`` is a valid Ed25519 signature of ``message``."""
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def b64(data: bytes) -> str:
    """Return standard base64 text."""
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    """Return the bytes of standard base64 text (strict)."""
    return base64.b64decode(text.encode("ascii"), validate=True)


def register(connection: Any, owner_kind: str, owner_id: str, public: bytes) -> str:
    """Record a public key for its owner inside the caller's transaction."""
    key_id = key_id_of(public)
    connection.execute(
        "INSERT OR IGNORE INTO signing_keys VALUES (?, ?, ?, ?, ?)",
        (key_id, owner_kind, owner_id, b64(public), utc_now()),
    )
    return key_id


def revoke(connection: Any, key_id: str, reason: str) -> None:
    """Record that a key may sign no more, inside the caller's transaction."""
    connection.execute(
        "INSERT OR IGNORE INTO signing_key_revocations VALUES (?, ?, ?)",
        (key_id, utc_now(), reason),
    )


def lookup(connection: Any, key_id: str) -> KeyInfo | None:
    """Return the registered key with ``key_id``, if any."""
    row = connection.execute(
        "SELECT k.key_id, k.owner_kind, k.owner_id, k.public_key, k.created_at, "
        "r.revoked_at FROM signing_keys k "
        "LEFT JOIN signing_key_revocations r ON r.key_id = k.key_id "
        "WHERE k.key_id = ?",
        (key_id,),
    ).fetchone()
    if row is None:
        return None
    return KeyInfo(row[0], row[1], row[2], unb64(row[3]), row[4], row[5])


def active_user_key(connection: Any, user_id: str) -> KeyInfo | None:
    """Return the user's newest key that is not revoked, if any."""
    rows = connection.execute(
        "SELECT key_id FROM signing_keys WHERE owner_kind = 'user' AND owner_id = ? "
        "ORDER BY created_at DESC",
        (user_id,),
    ).fetchall()
    for (key_id,) in rows:
        info = lookup(connection, key_id)
        if info is not None and info.revoked_at is None:
            return info
    return None


def workstation_key(config_dir: Any) -> tuple[bytes, bytes]:
    """Return ``(private, public)`` of this workstation, made once.

    The key file sits in the settings folder, readable by its owner only.
    """
    # Kept in a file, not the OS keyring: a copy of the settings folder can
    # sign checkpoints as this workstation.
    path = config_dir / "workstation-signing-key"
    try:
        private = unb64(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        make_private_folder(path.parent)
        private, _ = new_key_pair()
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as stream:
            stream.write(b64(private) + "\n")
        logger.info("Created this workstation's signing key")
    public = (
        Ed25519PrivateKey.from_private_bytes(private)
        .public_key()
        .public_bytes(Encoding.Raw, PublicFormat.Raw)
    )
    return private, public
