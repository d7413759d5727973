from __future__ import annotations

import json

import pytest
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.canonical import Envelope, canonical_bytes, key_id, pae

_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300)
@given(_json)
def test_canonical_bytes_equal_rfc8785(value: object) -> None:
    try:
        expected = bytes(rfc8785.dumps(value))
    except rfc8785.CanonicalizationError:
        return  # lone surrogates and the like: refused by both
    assert canonical_bytes(value) == expected


def test_canonical_numbers_and_keys_follow_rfc8785() -> None:
    value = {"b": 2.0, "a": [1e21, 1e-7, 0.5, -0.0], "\U0001f600": 1, "\ufb01": 2}
    assert canonical_bytes(value) == bytes(rfc8785.dumps(value))
    assert canonical_bytes({"z": 1, "a": "é"}) == '{"a":"é","z":1}'.encode()


def test_pae_follows_dsse_v1() -> None:
    assert pae("http://example.com/HelloWorld", b"hello world") == (
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    )


def test_an_envelope_carries_a_device_signature_and_a_countersignature() -> None:
    device, lead = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    envelope = Envelope("application/x-test", b'{"a":1}').signed_by(device)
    envelope = envelope.signed_by(lead)
    keys = [device.public_key(), lead.public_key()]

    again = Envelope.from_json(envelope.to_json())

    assert again.verify(keys) == [key_id(keys[0]), key_id(keys[1])]
    with pytest.raises(LookupError):
        again.verify(keys[:1])
    changed = Envelope(again.payload_type, b'{"a":2}', again.signatures)
    with pytest.raises(InvalidSignature):
        changed.verify(keys)
    retyped = Envelope("application/x-other", again.payload, again.signatures)
    with pytest.raises(InvalidSignature):
        retyped.verify(keys)


def test_a_signed_bundle_document_is_in_canonical_form() -> None:
    from sync.bundle import build_bundle

    key = Ed25519PrivateKey.generate()
    bundle = build_bundle(
        [{"revision_id": "r1", "body": {"points_mm": [[1.5, 2.0]]}}],
        site_id="site-a",
        device_id="ws-a",
        device_key=key,
        sequence=1,
        previous_bundle_hash="0" * 64,
        audit_head=(3, "a" * 64),
        created_at="2026-12-03T17:40:00+00:00",
    )
    data = bundle.to_bytes()
    assert data == bytes(rfc8785.dumps(json.loads(data)))
