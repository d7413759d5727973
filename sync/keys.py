"""Device keys, the store's key pairs, and the site secret wrapped to a device."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey,
    X25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from sync.canonical import b64decode, b64encode, canonical_bytes, key_id
from sync.errors import NotEnrolledError, StoreKeyError

# HPKE base mode, RFC 9180: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM.
HPKE_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_128_GCM)
SITE_SECRET_BYTES = 32
_KEY_FILE_FORMAT = "haiops-store-keys"
_SCRYPT_N = 2**15


def raw_private(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    """Return the 32 raw bytes of a private key (kept only inside encrypted storage)."""
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def raw_public(key: Ed25519PublicKey | X25519PublicKey) -> bytes:
    """Return the 32 raw bytes of a public key."""
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class DeviceKeys:
    """A workstation's key pairs: Ed25519 to sign bundles, X25519 to receive secrets.

    Attributes
    ----------
    device_id
        The workstation ID of the project.
    signing
        Signs every bundle the workstation pushes.
    wrapping
        The site lead wraps the site pseudonym secret to its public half.
    """

    device_id: str
    signing: Ed25519PrivateKey
    wrapping: X25519PrivateKey

    @classmethod
    def generate(cls, device_id: str) -> DeviceKeys:
        """Make fresh key pairs for ``device_id``."""
        return cls(device_id, Ed25519PrivateKey.generate(), X25519PrivateKey.generate())

    @property
    def key_id(self) -> str:
        """The signing key's ID (SHA-256 of its raw public bytes)."""
        return key_id(self.signing.public_key())

    def to_bytes(self) -> bytes:
        """Serialise, private halves included, for the encrypted project only."""
        return canonical_bytes(
            {
                "device_id": self.device_id,
                "signing": b64encode(raw_private(self.signing)),
                "wrapping": b64encode(raw_private(self.wrapping)),
            }
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> DeviceKeys:
        """Read what :meth:`to_bytes` wrote."""
        fields = json.loads(data)
        return cls(
            str(fields["device_id"]),
            Ed25519PrivateKey.from_private_bytes(b64decode(fields["signing"])),
            X25519PrivateKey.from_private_bytes(b64decode(fields["wrapping"])),
        )

    def enrolment_request(self) -> dict[str, Any]:
        """Return the public part a site lead enrols: device ID and both public keys."""
        return {
            "format": "haiops-enrolment-request",
            "device_id": self.device_id,
            "signing_key": b64encode(raw_public(self.signing.public_key())),
            "wrap_key": b64encode(raw_public(self.wrapping.public_key())),
        }


@dataclass(frozen=True)
class StoreKeys:
    """The store's key pairs and the site secret, held by the site lead only.

    Attributes
    ----------
    site_id
        The site the store serves.
    roster
        Signs the roster of enrolled and revoked keys.
    encryption
        Bundles for a share or a USB drive are encrypted to its public half.
    site_secret
        The site's pseudonym secret (32 bytes); never written into the store.
    """

    site_id: str
    roster: Ed25519PrivateKey
    encryption: X25519PrivateKey
    site_secret: bytes

    @classmethod
    def generate(cls, site_id: str) -> StoreKeys:
        """Make fresh key pairs and a fresh site secret for ``site_id``."""
        if not site_id or not site_id.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"site ID must be letters, digits, - or _: {site_id!r}")
        return cls(
            site_id,
            Ed25519PrivateKey.generate(),
            X25519PrivateKey.generate(),
            secrets.token_bytes(SITE_SECRET_BYTES),
        )

    def save(self, path: Path, passphrase: str) -> None:
        """Write the keys to ``path``, encrypted under a key derived from a passphrase.

        scrypt (N=2**15, r=8, p=1) derives an AES-256-GCM key; the file is
        created exclusively so that an existing key file is never overwritten.
        """
        salt = os.urandom(16)
        nonce = os.urandom(12)
        plain = canonical_bytes(
            {
                "site_id": self.site_id,
                "roster": b64encode(raw_private(self.roster)),
                "encryption": b64encode(raw_private(self.encryption)),
                "site_secret": b64encode(self.site_secret),
            }
        )
        header = {"format": _KEY_FILE_FORMAT, "version": 1, "site_id": self.site_id}
        sealed = AESGCM(_derive(passphrase, salt)).encrypt(
            nonce, plain, canonical_bytes(header)
        )
        document = {
            **header,
            "salt": b64encode(salt),
            "nonce": b64encode(nonce),
            "ciphertext": b64encode(sealed),
        }
        with path.open("xb") as handle:
            handle.write(canonical_bytes(document))
            handle.flush()
            os.fsync(handle.fileno())

    @classmethod
    def load(cls, path: Path, passphrase: str) -> StoreKeys:
        """Read a key file written by :meth:`save`."""
        try:
            document = json.loads(path.read_bytes())
            header = {k: document[k] for k in ("format", "version", "site_id")}
            if header["format"] != _KEY_FILE_FORMAT or header["version"] != 1:
                raise StoreKeyError("unknown key file format", path=path)
            key = _derive(passphrase, b64decode(document["salt"]))
            plain = AESGCM(key).decrypt(
                b64decode(document["nonce"]),
                b64decode(document["ciphertext"]),
                canonical_bytes(header),
            )
            fields = json.loads(plain)
        except InvalidTag as error:
            raise StoreKeyError(
                "wrong passphrase or damaged file", path=path
            ) from error
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise StoreKeyError(str(error), path=path) from error
        return cls(
            str(fields["site_id"]),
            Ed25519PrivateKey.from_private_bytes(b64decode(fields["roster"])),
            X25519PrivateKey.from_private_bytes(b64decode(fields["encryption"])),
            b64decode(fields["site_secret"]),
        )


def _derive(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=_SCRYPT_N, r=8, p=1).derive(
        passphrase.encode("utf-8")
    )


def _wrap_info(site_id: str, device_key_id: str) -> bytes:
    return canonical_bytes(
        {"purpose": "haiops-site-secret", "site_id": site_id, "device": device_key_id}
    )


def wrap_site_secret(
    secret: bytes, site_id: str, device_key_id: str, wrap_key: X25519PublicKey
) -> bytes:
    """Encrypt the site secret to one enrolled device (HPKE, bound to its key ID)."""
    return HPKE_SUITE.encrypt(secret, wrap_key, _wrap_info(site_id, device_key_id))


def unwrap_site_secret(wrapped: bytes, site_id: str, keys: DeviceKeys) -> bytes:
    """Decrypt the site secret the site lead wrapped to this device."""
    try:
        return HPKE_SUITE.decrypt(
            wrapped, keys.wrapping, _wrap_info(site_id, keys.key_id)
        )
    except InvalidTag as error:
        raise NotEnrolledError(
            "the site secret was wrapped to another device", missing="site secret"
        ) from error
