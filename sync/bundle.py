"""Build, sign, seal, open and check annotation bundles.

A signed bundle is one canonical JSON document::

    {"format": "haiops-signed-bundle",
     "envelope": <DSSE envelope whose payload is the manifest>,
     "files": {"revisions.json": <base64>, "checkpoint.json": <base64>}}

The manifest lists each file with its SHA-256 and names the site, the device
and its key, the per-device sequence number, the previous bundle's hash and
the audit chain head.  ``checkpoint.json`` is a signed audit checkpoint
(:func:`storage.checkpoints.make_checkpoint`, purpose ``bundle``) of that
head; its signature is checked with the bundle's.  The bundle's hash is the
SHA-256 of the manifest bytes, so countersignatures do not change it.  A
sealed bundle (for a share or a USB drive) is the signed bundle encrypted
with HPKE to the store's key, behind a clear header naming the site.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey,
    X25519PublicKey,
)

from storage.checkpoints import check_signature
from storage.errors import CheckpointError
from storage.records import Revision
from sync.canonical import (
    Envelope,
    b64decode,
    b64encode,
    canonical_bytes,
    key_id,
    sha256_hex,
)
from sync.errors import BundleRefusedError
from sync.keys import HPKE_SUITE
from sync.roster import Roster

logger = logging.getLogger(__name__)

BUNDLE_FORMAT = "haiops-bundle"
BUNDLE_VERSION = 1
PAYLOAD_TYPE = f"application/vnd.haiops.bundle+json;version={BUNDLE_VERSION}"
SEALED_MAGIC = b"HAIOPS-SEALED-BUNDLE\n"
SIGNED_FORMAT = "haiops-signed-bundle"
REVISIONS_FILE = "revisions.json"
CHECKPOINT_FILE = "checkpoint.json"
GENESIS = "0" * 64


@dataclass(frozen=True)
class Manifest:
    """What a bundle's signature covers.

    Attributes
    ----------
    site_id, device_id, device_key_id
        Whose bundle it is.
    sequence
        Per device, from 1 without gaps.
    previous_bundle_hash
        The hash of the device's bundle ``sequence - 1`` (64 zeros for the first).
    audit_head
        ``(count, hash)`` of the workstation's audit chain when it was made.
    created_at
        ISO 8601 UTC.
    files
        ``name -> (sha256, size in bytes)``.
    record_count
        Revisions in ``revisions.json``.
    share_text
        Whether the project's policy let text travel.
    """

    site_id: str
    device_id: str
    device_key_id: str
    sequence: int
    previous_bundle_hash: str
    audit_head: tuple[int, str]
    created_at: str
    files: dict[str, tuple[str, int]]
    record_count: int
    share_text: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return the manifest's JSON form."""
        return {
            "format": BUNDLE_FORMAT,
            "version": BUNDLE_VERSION,
            "site_id": self.site_id,
            "device_id": self.device_id,
            "device_key_id": self.device_key_id,
            "sequence": self.sequence,
            "previous_bundle_hash": self.previous_bundle_hash,
            "audit_head": {"count": self.audit_head[0], "hash": self.audit_head[1]},
            "created_at": self.created_at,
            "files": [
                {"name": name, "sha256": digest, "size": size}
                for name, (digest, size) in sorted(self.files.items())
            ],
            "record_count": self.record_count,
            "policy": {"share_text": self.share_text},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        """Read the manifest's JSON form; ValueError when it is not one."""
        if data.get("format") != BUNDLE_FORMAT or data.get("version") != BUNDLE_VERSION:
            raise ValueError(f"format {data.get('format')} {data.get('version')}")
        head = data["audit_head"]
        return cls(
            site_id=str(data["site_id"]),
            device_id=str(data["device_id"]),
            device_key_id=str(data["device_key_id"]),
            sequence=int(data["sequence"]),
            previous_bundle_hash=str(data["previous_bundle_hash"]),
            audit_head=(int(head["count"]), str(head["hash"])),
            created_at=str(data["created_at"]),
            files={
                str(f["name"]): (str(f["sha256"]), int(f["size"]))
                for f in data["files"]
            },
            record_count=int(data["record_count"]),
            share_text=bool(data.get("policy", {}).get("share_text", False)),
        )


@dataclass(frozen=True)
class Bundle:
    """A signed bundle, read and checked.

    Attributes
    ----------
    manifest
        The signed manifest.
    bundle_hash
        SHA-256 of the manifest bytes.
    envelope
        The DSSE envelope (payload and signatures).
    files
        The files' bytes by name.
    signers
        Key IDs whose signatures were checked, device first.
    """

    manifest: Manifest
    bundle_hash: str
    envelope: Envelope
    files: dict[str, bytes]
    signers: tuple[str, ...] = ()

    def revisions(self) -> list[Revision]:
        """Return the revisions the bundle carries, in the order they were made."""
        rows = json.loads(self.files[REVISIONS_FILE])
        return [Revision.from_json(row) for row in rows]

    def to_bytes(self) -> bytes:
        """Return the signed bundle document, in canonical form (RFC 8785).

        Written piece by piece: keys in order ("envelope" < "files" <
        "format"), and the file names and base64 text need no escaping, so this
        equals ``canonical_bytes`` of the document without scanning megabytes
        of base64 again.
        """
        files = b",".join(
            b'"%s":"%s"' % (name.encode("ascii"), b64encode(data).encode("ascii"))
            for name, data in sorted(self.files.items())
        )
        return b"".join(
            [
                b'{"envelope":',
                canonical_bytes(self.envelope.to_json()),
                b',"files":{',
                files,
                b'},"format":',
                canonical_bytes(SIGNED_FORMAT),
                b"}",
            ]
        )


def build_bundle(
    rows: Sequence[dict[str, Any]],
    *,
    site_id: str,
    device_id: str,
    device_key: Ed25519PrivateKey,
    sequence: int,
    previous_bundle_hash: str,
    created_at: str,
    checkpoint: Callable[[], Mapping[str, Any]] | None = None,
    audit_head: tuple[int, str] | None = None,
    share_text: bool = False,
    gate: Callable[[list[dict[str, Any]], str], None] | None = None,
) -> Bundle:
    """Write already de-identified revisions into a bundle signed by the device.

    Parameters
    ----------
    rows
        Revisions in their JSON form, after :class:`sync.deidentify.Deidentifier`.
    checkpoint
        Makes the signed audit checkpoint the bundle carries; called only
        after the gate let the rows pass, so a refused bundle leaves no
        checkpoint entry in the trail.  Its head becomes the manifest's.
    audit_head
        Without ``checkpoint``: ``(count, hash)`` written unsigned, which
        :func:`verify_bundle` refuses (for tests of that refusal).
    gate
        Called with the rows and their canonical JSON text before anything is
        signed (:meth:`sync.deidentify.Deidentifier.gate`); it raises to refuse.
    """
    if sequence < 1:
        raise ValueError("sequence numbers start at 1")
    if checkpoint is None and audit_head is None:
        raise ValueError("a bundle needs an audit checkpoint")
    revisions = canonical_bytes(list(rows))
    if gate is not None:
        gate(list(rows), revisions.decode("utf-8"))
    if checkpoint is not None:
        signed = dict(checkpoint())
        audit_head = (int(signed["count"]), str(signed["head_hash"]))
        checkpoint_bytes = canonical_bytes(signed)
    else:
        assert audit_head is not None  # checked above
        checkpoint_bytes = canonical_bytes(
            {"audit_head": {"count": audit_head[0], "hash": audit_head[1]}}
        )
    files = {REVISIONS_FILE: revisions, CHECKPOINT_FILE: checkpoint_bytes}
    manifest = Manifest(
        site_id=site_id,
        device_id=device_id,
        device_key_id=key_id(device_key.public_key()),
        sequence=sequence,
        previous_bundle_hash=previous_bundle_hash,
        audit_head=audit_head,
        created_at=created_at,
        files={name: (sha256_hex(data), len(data)) for name, data in files.items()},
        record_count=len(rows),
        share_text=share_text,
    )
    payload = canonical_bytes(manifest.to_json())
    envelope = Envelope(PAYLOAD_TYPE, payload).signed_by(device_key)
    return Bundle(manifest, sha256_hex(payload), envelope, files)


def countersign(bundle: Bundle, key: Ed25519PrivateKey) -> Bundle:
    """Add a site lead's countersignature; the bundle hash does not change."""
    return Bundle(
        bundle.manifest,
        bundle.bundle_hash,
        bundle.envelope.signed_by(key),
        bundle.files,
        bundle.signers,
    )


def _header(site_id: str) -> bytes:
    return canonical_bytes(
        {
            "format": "haiops-sealed-bundle",
            "version": 1,
            "site_id": site_id,
            "hpke": "DHKEM(X25519,HKDF-SHA256),HKDF-SHA256,AES-128-GCM",
        }
    )


def seal(signed: bytes, site_id: str, store_key: X25519PublicKey) -> bytes:
    """Encrypt a signed bundle to the store's public key (HPKE base mode).

    The clear header names the site and is bound to the ciphertext as HPKE
    ``info``, so it cannot be swapped.
    """
    header = _header(site_id)
    return SEALED_MAGIC + header + b"\n" + HPKE_SUITE.encrypt(signed, store_key, header)


def is_sealed(data: bytes) -> bool:
    """Whether ``data`` is a sealed bundle."""
    return data.startswith(SEALED_MAGIC)


def sealed_site(data: bytes, *, path: str = "") -> str:
    """Return the site named in a sealed bundle's clear header."""
    try:
        header, _ = data[len(SEALED_MAGIC) :].split(b"\n", 1)
        return str(json.loads(header)["site_id"])
    except (ValueError, KeyError, TypeError) as error:
        raise BundleRefusedError(
            f"sealed header: {error}", path=path, reason="malformed"
        ) from error


def unseal(
    data: bytes, site_id: str, store_key: X25519PrivateKey, *, path: str = ""
) -> bytes:
    """Decrypt a sealed bundle for ``site_id``.

    Raises
    ------
    BundleRefusedError
        ``malformed`` (not a sealed bundle), ``wrong_site`` (another site's)
        or ``undecryptable``.
    """
    if not is_sealed(data):
        raise BundleRefusedError("not a sealed bundle", path=path, reason="malformed")
    site = sealed_site(data, path=path)
    if site != site_id:
        raise BundleRefusedError(
            f"sealed for site {site}", path=path, reason="wrong_site"
        )
    header, ciphertext = data[len(SEALED_MAGIC) :].split(b"\n", 1)
    try:
        return HPKE_SUITE.decrypt(ciphertext, store_key, header)
    except (InvalidTag, ValueError) as error:
        raise BundleRefusedError(
            "HPKE decryption failed", path=path, reason="undecryptable"
        ) from error


def read_bundle(data: bytes, *, path: str = "") -> Bundle:
    """Parse a signed bundle without checking it (see :func:`verify_bundle`)."""
    try:
        document = json.loads(data)
        if not isinstance(document, dict) or document.get("format") != SIGNED_FORMAT:
            raise ValueError("not a signed bundle")  # noqa: TRY301 -- one refusal path
        envelope = Envelope.from_json(document["envelope"])
        if envelope.payload_type != PAYLOAD_TYPE:
            raise ValueError(f"payload type {envelope.payload_type}")  # noqa: TRY301 -- one refusal path
        manifest = Manifest.from_json(json.loads(envelope.payload))
        files = {str(k): b64decode(str(v)) for k, v in document["files"].items()}
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BundleRefusedError(str(error), path=path, reason="malformed") from error
    return Bundle(manifest, sha256_hex(envelope.payload), envelope, files)


def verify_bundle(data: bytes, roster: Roster, *, path: str = "") -> Bundle:
    """Check a signed bundle against a roster: site, signers, revocation, hashes.

    The first signature must be the enrolled device key the manifest names;
    further signatures (countersignatures) must be enrolled keys as well.
    Sequence order is not checked here (the store and the merge do that).

    Raises
    ------
    BundleRefusedError
        With ``reason`` one of ``malformed``, ``wrong_site``, ``unknown_signer``,
        ``revoked_signer``, ``bad_signature``, ``hash_mismatch``,
        ``bad_checkpoint``.
    """
    bundle = read_bundle(data, path=path)
    manifest = bundle.manifest

    # The site first: a bundle for another site is refused for that reason
    # even though its keys are, naturally, unknown here.
    if manifest.site_id != roster.site_id:
        raise BundleRefusedError(
            f"made for site {manifest.site_id}", path=path, reason="wrong_site"
        )

    signers = _check_signers(bundle, roster, path)

    # Every listed file, and no other, with its SHA-256 and size.
    if set(bundle.files) != set(manifest.files):
        raise BundleRefusedError(
            "files differ from the manifest", path=path, reason="hash_mismatch"
        )
    for name, content in bundle.files.items():
        digest, size = manifest.files[name]
        if sha256_hex(content) != digest or len(content) != size:
            raise BundleRefusedError(
                f"{name} does not match its SHA-256", path=path, reason="hash_mismatch"
            )
    check_checkpoint(bundle, path=path)
    return Bundle(manifest, bundle.bundle_hash, bundle.envelope, bundle.files, signers)


def check_checkpoint(bundle: Bundle, *, path: str = "") -> dict[str, Any]:
    """Check the bundle's audit checkpoint and return it.

    Its Ed25519 signature must verify (:func:`storage.checkpoints.check_signature`),
    it must be signed as the workstation the manifest names, and its count and
    head hash must be the manifest's audit head.  The checkpoint's key is the
    workstation's own, not an enrolled one: the device signature on the
    manifest, which lists the checkpoint's SHA-256, is what vouches for it.

    Raises
    ------
    BundleRefusedError
        ``bad_checkpoint``.
    """
    manifest = bundle.manifest
    try:
        checkpoint = json.loads(bundle.files[CHECKPOINT_FILE])
        check_signature(checkpoint, path=path or CHECKPOINT_FILE)
        signer = str(checkpoint["signer"]["id"])
        head = (int(checkpoint["count"]), str(checkpoint["head_hash"]))
    except (CheckpointError, KeyError, TypeError, ValueError) as error:
        raise BundleRefusedError(
            f"audit checkpoint: {error}", path=path, reason="bad_checkpoint"
        ) from error
    if signer != manifest.device_id or head != manifest.audit_head:
        raise BundleRefusedError(
            "the audit checkpoint does not match the manifest",
            path=path,
            reason="bad_checkpoint",
        )
    return dict(checkpoint)


def _check_signers(bundle: Bundle, roster: Roster, path: str) -> tuple[str, ...]:
    manifest = bundle.manifest
    signatures = bundle.envelope.signatures
    if not signatures or signatures[0][0] != manifest.device_key_id:
        raise BundleRefusedError(
            "the first signature is not the device's", path=path, reason="bad_signature"
        )
    entries = []
    for keyid, _ in signatures:
        entry = roster.find(keyid)
        if entry is None:
            raise BundleRefusedError(
                f"key {keyid[:12]} is not enrolled", path=path, reason="unknown_signer"
            )
        entries.append(entry)
    device = entries[0]
    if device.kind != "device" or device.name != manifest.device_id:
        raise BundleRefusedError(
            f"key {device.key_id[:12]} is not the key of {manifest.device_id}",
            path=path,
            reason="unknown_signer",
        )
    for entry in entries:
        if not entry.allows(manifest.sequence):
            raise BundleRefusedError(
                f"key {entry.key_id[:12]} revoked after sequence "
                f"{entry.last_good_sequence}",
                path=path,
                reason="revoked_signer",
            )
    try:
        return tuple(bundle.envelope.verify([entry.ed25519() for entry in entries]))
    except (InvalidSignature, LookupError) as error:
        raise BundleRefusedError(
            "a signature does not match", path=path, reason="bad_signature"
        ) from error
