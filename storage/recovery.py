"""The recovery wrap: the database key sealed to the site's escrow public key.

When every password of a project is lost (21 CFR 11.10(c), 11.300(c)), the
site's escrow private key, kept offline by the site lead, opens the recovery
wrap and gives an admin a new password. The wrap is X25519 key agreement with
a fresh ephemeral key, HKDF-SHA256 and AES-256-GCM, bound to the project ID.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey,
    X25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage.audit import utc_now
from storage.errors import KeyFileError, WrongPasswordError
from storage.keyfile import KeyFile, updating
from storage.keys import b64, unb64

logger = logging.getLogger(__name__)

_SCHEME = "x25519-hkdf-sha256-aes-256-gcm"


def generate_escrow_key() -> tuple[bytes, bytes]:
    """Return a new escrow key pair as ``(private PEM, public PEM)``.

    The private PEM is for the site lead's offline safe, never the project.
    """
    private = X25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem, public_pem


def _aead_key(shared: bytes, ephemeral: bytes, project_id: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=ephemeral,
        info=f"haiops recovery/{project_id}".encode(),
    ).derive(shared)


def add_recovery_wrap(keyfile: KeyFile, database_key: bytes, public_pem: bytes) -> None:
    """Seal ``database_key`` to the escrow public key in the key file."""
    public = serialization.load_pem_public_key(public_pem)
    if not isinstance(public, X25519PublicKey):
        raise KeyFileError("the escrow key is not an X25519 public key", path="escrow")
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    key = _aead_key(ephemeral.exchange(public), ephemeral_public, keyfile.project_id)
    nonce = os.urandom(12)
    context = f"haiops/{keyfile.project_id}/recovery".encode()
    keyfile.extra["recovery"] = {
        "scheme": _SCHEME,
        "ephemeral_public": b64(ephemeral_public),
        "escrow_public": b64(
            public.public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
        ),
        "nonce": b64(nonce),
        "ciphertext": b64(AESGCM(key).encrypt(nonce, database_key, context)),
    }


def has_recovery_wrap(keyfile: KeyFile) -> bool:
    """Whether the key file holds a recovery wrap."""
    return isinstance(keyfile.extra.get("recovery"), dict)


def recover_database_key(keyfile: KeyFile, private_pem: bytes) -> bytes:
    """Open the recovery wrap with the escrow private key.

    Raises
    ------
    KeyFileError
        When the key file has no recovery wrap.
    WrongPasswordError
        When the private key does not open it.
    """
    entry = keyfile.extra.get("recovery")
    if not isinstance(entry, dict) or entry.get("scheme") != _SCHEME:
        raise KeyFileError("no recovery wrap", path=keyfile.path)
    private = serialization.load_pem_private_key(private_pem, password=None)
    if not isinstance(private, X25519PrivateKey):
        raise WrongPasswordError("not an X25519 key", path=keyfile.path.parent)
    ephemeral_public = unb64(entry["ephemeral_public"])
    shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    key = _aead_key(shared, ephemeral_public, keyfile.project_id)
    context = f"haiops/{keyfile.project_id}/recovery".encode()
    try:
        return AESGCM(key).decrypt(
            unb64(entry["nonce"]), unb64(entry["ciphertext"]), context
        )
    except InvalidTag:
        raise WrongPasswordError(
            "the escrow key does not open the recovery wrap",
            path=keyfile.path.parent,
        ) from None


def recover_access(
    folder: Path, private_pem: bytes, *, user_id: str, new_password: str
) -> None:
    """Give ``user_id`` (an existing admin) a new password with the escrow key.

    The user must change it at the next sign-in; their old signing key is
    revoked then, as after a reset.
    """
    from storage.project import KEY_FILE_NAME

    with updating(Path(folder) / KEY_FILE_NAME) as keyfile:
        database_key = recover_database_key(keyfile, private_pem)
        keyfile.add_wrap(user_id, database_key, new_password)
        state = keyfile.account(user_id)
        state.update(failures=0, locked_at=None, must_change_password=True)
        keyfile.drop_signing_key(user_id)
        keyfile.pending_alerts.append(
            {"kind": "recovery_used", "user_id": user_id, "at": utc_now()}
        )
    logger.warning("The recovery wrap of project %s was used", keyfile.project_id)
