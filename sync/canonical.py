"""Canonical JSON (RFC 8785), SHA-256 and DSSE envelopes signed with Ed25519."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

# Python's float repr and ECMAScript's number form (RFC 8785 section 3.2.2.3)
# both give the shortest round-trip digits, and both write them without an
# exponent inside this range; outside it the fast path hands over to rfc8785.
_PLAIN_FLOAT_MIN = 1e-4
_PLAIN_FLOAT_MAX = 1e16
_SAFE_INTEGER = 2**53


class _SlowPathError(Exception):
    """A value the fast canonical form cannot write exactly as RFC 8785 does."""


# In json.dumps output these mark a number RFC 8785 writes differently: an
# integral float ("2.0", "-0.0"), an exponent (Python always signs it), or an
# integer beyond 2**53.  A match inside a string only costs the slower path,
# never a wrong result.  Each starts with a literal or a small set, which the
# regex engine scans for quickly; one alternation would be ten times slower.
_SUSPECT_NUMBERS = (
    re.compile(r"\.0(?:[,\]}]|$)"),
    re.compile(r"e[+-]\d+(?:[,\]}]|$)"),
    re.compile(r":-?\d{16}"),
    re.compile(r",-?\d{16}"),
    re.compile(r"\[-?\d{16}"),
    re.compile(r"\A-?\d{16}"),
)
_BEYOND_BMP_UTF8 = re.compile(rb"[\xf0-\xf4]")


def canonical_bytes(value: Any) -> bytes:
    """Return the RFC 8785 canonical JSON form of ``value`` as UTF-8 bytes.

    json.dumps with sorted keys and no whitespace writes RFC 8785 for most
    data; its output is checked for the numbers and characters where the two
    differ, and only then is the value prepared number by number (or, at
    worst, handed to rfc8785).

    Parameters
    ----------
    value
        JSON data: dicts with string keys, lists, strings, ints, floats,
        booleans and None.

    Returns
    -------
    bytes
        The canonical form.  Integral floats are written as integers, as
        RFC 8785 does.
    """
    try:
        text = _dumps(value)
        data = text.encode("utf-8")
        # Characters beyond the BMP are the 4-byte UTF-8 sequences (lead byte
        # F0 to F4); json and RFC 8785 may order keys holding them differently.
        is_bmp = text.isascii() or _BEYOND_BMP_UTF8.search(data) is None
        if is_bmp and not any(p.search(text) for p in _SUSPECT_NUMBERS):
            return data
        return _dumps(_prepare(value)).encode("utf-8")
    except (_SlowPathError, UnicodeEncodeError, ValueError, TypeError):
        return bytes(rfc8785.dumps(value))


def _dumps(value: Any) -> str:
    return json.dumps(
        value,
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        allow_nan=False,
    )


def _prepare(value: Any) -> Any:
    """Turn integral floats into ints; refuse what json.dumps writes differently."""
    if isinstance(value, str | bool) or value is None:
        return value
    if isinstance(value, int):
        if -_SAFE_INTEGER < value < _SAFE_INTEGER:
            return value
        raise _SlowPathError
    if isinstance(value, float):
        return _prepare_float(value)
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            # json sorts keys by code point, RFC 8785 by UTF-16 unit: they only
            # differ for characters beyond the Basic Multilingual Plane.
            if not isinstance(key, str) or (not key.isascii() and _beyond_bmp(key)):
                raise _SlowPathError
            out[key] = _prepare(item)
        return out
    if isinstance(value, list | tuple):
        return [_prepare(item) for item in value]
    raise _SlowPathError


def _prepare_float(value: float) -> int | float:
    if value.is_integer():
        # Beyond 2**53 ECMAScript pads the shortest digits with zeros, which
        # int() would not reproduce.
        if abs(value) < _SAFE_INTEGER:
            return int(value)
        raise _SlowPathError
    if _PLAIN_FLOAT_MIN <= abs(value) < _PLAIN_FLOAT_MAX:
        return value
    raise _SlowPathError


def _beyond_bmp(text: str) -> bool:
    return any(ord(char) > 0xFFFF for char in text)


def sha256_hex(data: bytes) -> str:
    """Return the SHA-256 of ``data`` as 64 lowercase hex digits."""
    return hashlib.sha256(data).hexdigest()


def b64encode(data: bytes) -> str:
    """Encode as standard base64 with padding, as DSSE uses it."""
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str) -> bytes:
    """Decode standard base64, refusing characters outside the alphabet."""
    return base64.b64decode(text.encode("ascii"), validate=True)


def public_key_bytes(key: Ed25519PublicKey) -> bytes:
    """Return the 32 raw bytes of an Ed25519 public key."""
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """Return a key's identifier: the SHA-256 of its raw public bytes, in hex."""
    return sha256_hex(public_key_bytes(key))


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE pre-authentication encoding of a payload and its type.

    ``"DSSEv1" SP LEN(type) SP type SP LEN(payload) SP payload``, lengths in
    ASCII decimal bytes, as the DSSE protocol (v1.0) defines it.
    """
    type_bytes = payload_type.encode("utf-8")
    return b" ".join(
        [
            b"DSSEv1",
            str(len(type_bytes)).encode("ascii"),
            type_bytes,
            str(len(payload)).encode("ascii"),
            payload,
        ]
    )


@dataclass(frozen=True)
class Envelope:
    """A DSSE envelope: a typed payload and one or more Ed25519 signatures.

    Attributes
    ----------
    payload_type
        Names the format and its version, e.g.
        ``application/vnd.haiops.bundle+json;version=1``.
    payload
        The signed bytes (canonical JSON of a manifest or roster).
    signatures
        ``(keyid, signature)`` pairs in signing order: the device first, then
        any countersignatures.
    """

    payload_type: str
    payload: bytes
    signatures: tuple[tuple[str, bytes], ...] = ()

    def signed_by(self, key: Ed25519PrivateKey) -> Envelope:
        """Return a copy with one more signature, made by ``key``."""
        signature = key.sign(pae(self.payload_type, self.payload))
        entry = (key_id(key.public_key()), signature)
        return Envelope(self.payload_type, self.payload, (*self.signatures, entry))

    def verify(self, keys: Sequence[Ed25519PublicKey]) -> list[str]:
        """Check every signature against the key of its keyid.

        Returns
        -------
        list of str
            The key IDs that signed, in order.

        Raises
        ------
        LookupError
            A signature names a key not in ``keys`` (its keyid is the message).
        cryptography.exceptions.InvalidSignature
            A signature does not match.
        """
        by_id = {key_id(key): key for key in keys}
        message = pae(self.payload_type, self.payload)
        signers = []
        for keyid, signature in self.signatures:
            key = by_id.get(keyid)
            if key is None:
                raise LookupError(keyid)
            key.verify(signature, message)
            signers.append(keyid)
        if not signers:
            raise InvalidSignature("the envelope has no signature")
        return signers

    def to_json(self) -> dict[str, Any]:
        """Return the envelope in DSSE's JSON form."""
        return {
            "payloadType": self.payload_type,
            "payload": b64encode(self.payload),
            "signatures": [
                {"keyid": keyid, "sig": b64encode(sig)}
                for keyid, sig in self.signatures
            ],
        }

    @classmethod
    def from_json(cls, data: Any) -> Envelope:
        """Read DSSE's JSON form; raise ValueError when it is not one."""
        if not isinstance(data, dict):
            # ValueError like every other malformed input, which callers expect.
            raise ValueError("a DSSE envelope is a JSON object")  # noqa: TRY004
        try:
            signatures = tuple(
                (str(item["keyid"]), b64decode(str(item["sig"])))
                for item in data["signatures"]
            )
            return cls(
                str(data["payloadType"]), b64decode(str(data["payload"])), signatures
            )
        except (KeyError, TypeError) as error:
            raise ValueError(f"not a DSSE envelope: {error}") from error
