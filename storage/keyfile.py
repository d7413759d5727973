"""The project key file: the database key, wrapped once per user, never in clear.

The key file (``project.key``) is JSON. The 32-byte database key appears in it
only as AES-GCM ciphertext, one wrap per user, under a key derived from that
user's password with Argon2id (the parameters are stored with each wrap) and,
where the OS keyring works, mixed with a device secret kept in that keyring.
Failed sign-ins are counted here, because a database that did not open cannot
record them; the next successful sign-in moves them into the audit trail.

Writes go to a temporary file that is renamed over the old one, so a crash
leaves either the old or the new key file, never half of one.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage import device_secret
from storage.errors import KeyFileError, WrongPasswordError
from storage.private_files import create_private_file

logger = logging.getLogger(__name__)

KEY_FILE_FORMAT = "haiops-project-key"
KEY_FILE_VERSION = 1
DATABASE_KEY_BYTES = 32

# About 0.2 s on a 2-core workstation: slow for guessing, quick for signing in.
ARGON2_ITERATIONS = 3
ARGON2_LANES = 4
ARGON2_MEMORY_KIB = 65536

# HAIOPS_KDF_FAST=1 (tests only) makes new wraps cheap; the parameters travel
# with each wrap, so reading never depends on this switch.
_FAST_PARAMETERS = (1, 1, 8)


def _argon2_parameters() -> tuple[int, int, int]:
    if os.environ.get("HAIOPS_KDF_FAST") == "1":
        return _FAST_PARAMETERS
    return ARGON2_ITERATIONS, ARGON2_LANES, ARGON2_MEMORY_KIB


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass
class Wrap:
    """The database key (or another secret) wrapped under one password."""

    salt: bytes
    nonce: bytes
    ciphertext: bytes
    iterations: int = ARGON2_ITERATIONS
    lanes: int = ARGON2_LANES
    memory_kib: int = ARGON2_MEMORY_KIB
    is_device_bound: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form stored in the key file."""
        return {
            "kdf": "argon2id",
            "salt": _b64(self.salt),
            "iterations": self.iterations,
            "lanes": self.lanes,
            "memory_kib": self.memory_kib,
            "device_bound": self.is_device_bound,
            "aead": "aes-256-gcm",
            "nonce": _b64(self.nonce),
            "ciphertext": _b64(self.ciphertext),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Wrap:
        """Read a wrap from its JSON form."""
        if data.get("kdf") != "argon2id" or data.get("aead") != "aes-256-gcm":
            raise ValueError("unknown key derivation or cipher")
        return cls(
            salt=_unb64(data["salt"]),
            nonce=_unb64(data["nonce"]),
            ciphertext=_unb64(data["ciphertext"]),
            iterations=int(data["iterations"]),
            lanes=int(data["lanes"]),
            memory_kib=int(data["memory_kib"]),
            is_device_bound=bool(data["device_bound"]),
        )


def _password_key(
    password: str, wrap: Wrap, device: bytes | None, context: bytes
) -> bytes:
    derived = Argon2id(
        salt=wrap.salt,
        length=32,
        iterations=wrap.iterations,
        lanes=wrap.lanes,
        memory_cost=wrap.memory_kib,
    ).derive(password.encode("utf-8"))
    if device is None:
        return derived
    # Both the password and this workstation's keyring secret are needed.
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=wrap.salt, info=b"haiops device"
    ).derive(derived + device)


def wrap_secret(
    secret: bytes, password: str, *, device: bytes | None, context: bytes
) -> Wrap:
    """Wrap ``secret`` under ``password`` (and ``device``, when given).

    ``context`` is bound into the ciphertext as associated data (for example the
    project ID and user ID), so a wrap copied onto another user does not open.
    """
    iterations, lanes, memory_kib = _argon2_parameters()
    wrap = Wrap(
        salt=os.urandom(16),
        nonce=os.urandom(12),
        ciphertext=b"",
        iterations=iterations,
        lanes=lanes,
        memory_kib=memory_kib,
    )
    wrap.is_device_bound = device is not None
    key = _password_key(password, wrap, device, context)
    wrap.ciphertext = AESGCM(key).encrypt(wrap.nonce, secret, context)
    return wrap


def unwrap_secret(
    wrap: Wrap, password: str, *, device: bytes | None, context: bytes
) -> bytes:
    """Return the secret inside ``wrap``; raise InvalidTag for a wrong password."""
    key = _password_key(password, wrap, device, context)
    return AESGCM(key).decrypt(wrap.nonce, wrap.ciphertext, context)


@dataclass
class KeyFile:
    """The parsed contents of ``project.key``."""

    path: Path
    project_id: str
    wraps: dict[str, Wrap] = field(default_factory=dict)
    failed_sign_ins: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> KeyFile:
        """Read and check the key file at ``path``."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise KeyFileError("no key file", path=path) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise KeyFileError(f"not readable JSON: {error}", path=path) from None
        if not isinstance(data, dict) or data.get("format") != KEY_FILE_FORMAT:
            raise KeyFileError("not a HAIOps key file", path=path)
        if data.get("version") != KEY_FILE_VERSION:
            raise KeyFileError(
                f"key file version {data.get('version')!r} is not supported", path=path
            )
        try:
            wraps = {
                user_id: Wrap.from_json(wrap) for user_id, wrap in data["users"].items()
            }
            keyfile = cls(
                path=path,
                project_id=str(data["project_id"]),
                wraps=wraps,
                failed_sign_ins=list(data.get("failed_sign_ins", [])),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise KeyFileError(f"malformed entry: {error}", path=path) from None
        keyfile.extra = {
            k: v
            for k, v in data.items()
            if k not in {"format", "version", "project_id", "users", "failed_sign_ins"}
        }
        return keyfile

    def write(self) -> None:
        """Write the key file atomically (temporary file, fsync, rename)."""
        data: dict[str, Any] = {
            "format": KEY_FILE_FORMAT,
            "version": KEY_FILE_VERSION,
            "project_id": self.project_id,
            "users": {user_id: w.to_json() for user_id, w in self.wraps.items()},
            "failed_sign_ins": self.failed_sign_ins,
            **self.extra,
        }
        temporary = self.path.with_name(self.path.name + ".tmp")
        # 0600 before anything is written, so the renamed file is never readable
        # by others, not even for a moment.
        create_private_file(temporary)
        with temporary.open("w", encoding="utf-8") as stream:
            json.dump(data, stream, indent=2, sort_keys=True)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.replace(self.path)

    def context(self, user_id: str) -> bytes:
        """Associated data that ties a user's wrap to this project and user."""
        return f"haiops/{self.project_id}/{user_id}".encode()

    def add_wrap(self, user_id: str, database_key: bytes, password: str) -> None:
        """Wrap the database key for ``user_id`` (replacing an earlier wrap)."""
        device = device_secret.get_or_create(self.project_id)
        self.wraps[user_id] = wrap_secret(
            database_key, password, device=device, context=self.context(user_id)
        )

    def unwrap(self, user_id: str, password: str) -> bytes:
        """Return the database key for a user's password.

        Raises
        ------
        WrongPasswordError
            When the user is unknown or the password (or this workstation's
            device secret) does not open the wrap. Both cases read the same,
            so the message does not tell which user IDs exist.
        """
        wrap = self.wraps.get(user_id)
        if wrap is None:
            # Spend the same time as a real attempt: no user enumeration by timing.
            iterations, lanes, memory_kib = _argon2_parameters()
            dummy = Wrap(b"\0" * 16, b"", b"", iterations, lanes, memory_kib)
            _password_key(password, dummy, None, b"")
            raise WrongPasswordError(
                "unknown user", path=self.path.parent, user=user_id
            )
        device = device_secret.get(self.project_id) if wrap.is_device_bound else None
        if wrap.is_device_bound and device is None:
            raise WrongPasswordError(
                "the device secret of this project is not in this workstation's "
                "keyring",
                path=self.path.parent,
                user=user_id,
            )
        try:
            return unwrap_secret(
                wrap, password, device=device, context=self.context(user_id)
            )
        except InvalidTag:
            raise WrongPasswordError(
                "password does not open the wrap", path=self.path.parent, user=user_id
            ) from None

    # Account state kept here because it must be readable before the
    # database opens: failure counts, locks, forced password changes.

    # The key file has no MAC: whoever can write it can clear a lock (the
    # failures already moved into the audit trail stay there).
    def account(self, user_id: str) -> dict[str, Any]:
        """Return (creating) the key-file state of one account.

        Keys: ``failures`` (count since the last success), ``locked_at``
        (UTC time or None) and ``must_change_password`` (after a reset).
        """
        accounts = self.extra.setdefault("accounts", {})
        state: dict[str, Any] = accounts.setdefault(
            user_id,
            {"failures": 0, "locked_at": None, "must_change_password": False},
        )
        return state

    def is_locked(self, user_id: str) -> bool:
        """Whether too many failed sign-ins locked the account."""
        state = self.extra.get("accounts", {}).get(user_id)
        return bool(state and state.get("locked_at"))

    def lockout_failures(self) -> int:
        """Return the number of failed sign-ins in a row that locks an account."""
        return int(self.extra.get("policy", {}).get("lockout_failures", 5))

    @property
    def pending_alerts(self) -> list[dict[str, Any]]:
        """Alerts raised while the database was closed (moved in at sign-in)."""
        alerts: list[dict[str, Any]] = self.extra.setdefault("alerts", [])
        return alerts

    # Signing keys: the Ed25519 private key wrapped under the user's password.

    def signing_key(self, user_id: str) -> dict[str, Any] | None:
        """Return ``{"key_id", "public_key", "wrap"}`` of the user, if any."""
        entry = self.extra.get("signing_keys", {}).get(user_id)
        return dict(entry) if entry else None

    def set_signing_key(
        self,
        user_id: str,
        key_id: str,
        public_key: bytes,
        private_key: bytes,
        password: str,
    ) -> None:
        """Store a user's signing key, its private half wrapped by ``password``."""
        wrap = wrap_secret(
            private_key,
            password,
            device=None,
            context=self.context(user_id) + b"/signing/" + key_id.encode(),
        )
        self.extra.setdefault("signing_keys", {})[user_id] = {
            "key_id": key_id,
            "public_key": _b64(public_key),
            "wrap": wrap.to_json(),
        }

    def drop_signing_key(self, user_id: str) -> None:
        """Forget a user's signing key (after a password reset revoked it)."""
        self.extra.setdefault("signing_keys", {}).pop(user_id, None)

    def unwrap_signing_key(self, user_id: str, password: str) -> tuple[str, bytes]:
        """Return ``(key_id, private key bytes)`` of a user.

        Raises
        ------
        WrongPasswordError
            When the user has no signing key or the password does not open it.
        """
        entry = self.signing_key(user_id)
        if entry is None:
            raise WrongPasswordError(
                "no signing key", path=self.path.parent, user=user_id
            )
        wrap = Wrap.from_json(entry["wrap"])
        context = self.context(user_id) + b"/signing/" + entry["key_id"].encode()
        try:
            private = unwrap_secret(wrap, password, device=None, context=context)
        except InvalidTag:
            raise WrongPasswordError(
                "password does not open the signing key",
                path=self.path.parent,
                user=user_id,
            ) from None
        return str(entry["key_id"]), private

    def rewrap_signing_key(self, user_id: str, old: str, new: str) -> None:
        """Wrap a user's signing key under a new password (same key)."""
        entry = self.signing_key(user_id)
        if entry is None:
            return
        key_id, private = self.unwrap_signing_key(user_id, old)
        self.set_signing_key(user_id, key_id, _unb64(entry["public_key"]), private, new)


def _lock(handle: IO[bytes]) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)


def _unlock(handle: IO[bytes]) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextmanager
def updating(path: Path) -> Iterator[KeyFile]:
    """Read, change and write the key file under an exclusive lock.

    Two sessions on one project (the window and a command, say) then never
    lose each other's changes; the lock goes with the process if it dies.
    Do not nest: a second ``updating`` of the same file in one process waits
    for ever.
    """
    lock_path = path.with_name(path.name + ".lock")
    create_private_file(lock_path)
    with lock_path.open("a+b") as handle:
        _lock(handle)
        try:
            keyfile = KeyFile.read(path)
            yield keyfile
            keyfile.write()
        finally:
            _unlock(handle)


def new_database_key() -> bytes:
    """Return 32 fresh random bytes for a new project's database key."""
    return secrets.token_bytes(DATABASE_KEY_BYTES)
