"""Electronic signatures (21 CFR 11.50, 11.70, 11.200): Ed25519 over exact revisions.

A signature is a record of type ``signature``. Its signed bytes are the RFC
8785 form of: the project ID, each signed revision's record ID, revision ID
and the SHA-256 of its canonical content, the meaning, the signer's user ID
and printed name, the key ID and the UTC time. Revising a signed record
leaves the signature valid for the revision it signed but not for the
current content; copying it onto another record breaks the Ed25519 check.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import rfc8785

from storage import keys, permissions
from storage.audit import utc_now
from storage.errors import (
    QT_TRANSLATE_NOOP,
    RecordError,
    SessionExpiredError,
    SignatureError,
    WrongPasswordError,
)
from storage.operations import mutation
from storage.records import Revision
from storage.users import User, read_user

if TYPE_CHECKING:
    from storage.project import Project

logger = logging.getLogger(__name__)

MEANINGS = ("authored", "reviewed", "approved", "rejected", "unlocked")

# Shown before signing (widgets/signature_dialog.py); the text signed is kept
# in the signature record, so a later change of wording changes no history.
ATTESTATIONS: dict[str, str] = {
    "authored": QT_TRANSLATE_NOOP(
        "signatures",
        "I am the author of these records and they are complete and correct "
        "to the best of my knowledge.",
    ),
    "reviewed": QT_TRANSLATE_NOOP(
        "signatures",
        "I have reviewed these records against their source and agree with them.",
    ),
    "approved": QT_TRANSLATE_NOOP(
        "signatures", "I approve these records for use as they stand."
    ),
    "rejected": QT_TRANSLATE_NOOP(
        "signatures", "I reject these records for the reason given."
    ),
    "unlocked": QT_TRANSLATE_NOOP(
        "signatures",
        "As site lead I authorise unlocking this locked record for the reason given.",
    ),
}
ATTESTATION_PREAMBLE = QT_TRANSLATE_NOOP(
    "signatures",
    "This electronic signature is the legally binding equivalent of my "
    "handwritten signature.",
)

VALID = "valid"
SUPERSEDED = "superseded"  # valid for the revision signed, not the current one
INVALID = "invalid"


@dataclass(frozen=True)
class Signer:
    """A signer who just gave their password; holds the private key briefly."""

    user: User
    key_id: str
    private_key: bytes = field(repr=False)


@dataclass(frozen=True)
class SignatureView:
    """A signature as screens and exports show it (21 CFR 11.50).

    ``signed_at_local`` is the local time with its zone; ``status`` is
    ``valid``, ``superseded`` (the record changed since) or ``invalid``.
    """

    signature_id: str
    meaning: str
    signer_id: str
    printed_name: str
    signed_at: str
    signed_at_local: str
    record_ids: tuple[str, ...]
    status: str
    problem: str | None = None


def content_hash(revision: Revision) -> str:
    """Return the SHA-256 of a revision's canonical content."""
    return hashlib.sha256(revision.canonical_bytes()).hexdigest()


def local_time(utc_text: str) -> str:
    """Return an ISO UTC time as local time with the zone name and offset."""
    moment = datetime.fromisoformat(utc_text).astimezone()
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z (UTC%z)")


def authenticate_signer(
    project: Project, meaning: str, *, password: str, user_id: str | None = None
) -> Signer:
    """Check who signs: user ID (when needed) and password, role and key.

    The first signature of a session, and the first after a lock, needs the
    user ID as well as the password (11.200(a)(1)); later ones the password.
    A wrong password is counted and audited like a failed sign-in.

    Raises
    ------
    SessionExpiredError
        When the user ID is needed and was not given.
    WrongPasswordError
        When the password is wrong.
    PermissionDeniedError
        When the signer's roles do not allow ``meaning``.
    SignatureError
        When the meaning is unknown or the signer has no active signing key.
    """
    if meaning not in MEANINGS:
        raise SignatureError(
            f"meaning {meaning!r}", problem=f"unknown meaning, use one of {MEANINGS}"
        )
    if project.connection is None:
        raise SessionExpiredError("closed", user=project.user.user_id)
    is_session_user = user_id is None or user_id == project.user.user_id
    if is_session_user and user_id is None and project.signature_needs_user_id:
        with project.records.transaction():
            project.audit.append(
                "signature.refused",
                record_type="user",
                record_id=project.user.user_id,
                reason="user ID needed after sign-in or lock",
            )
        raise SessionExpiredError(
            "the user ID is needed for the first signature", user=project.user.user_id
        )
    signer_id = user_id or project.user.user_id
    signer = read_user(project.connection, signer_id)
    if signer is None or not signer.is_active:
        raise WrongPasswordError(
            "no active account", path=project.folder, user=signer_id
        )
    permissions.require(signer, "sign", meaning)

    if is_session_user:
        if not project.verify_password(password):
            raise WrongPasswordError(
                "password at signing", path=project.folder, user=signer_id
            )
    else:
        from storage.accounts import _check_other_password

        _check_other_password(project, signer_id, password)
        project.ensure_signing_key(password, signer_id)
    key_id, private = project.reload_keyfile().unwrap_signing_key(signer_id, password)
    info = keys.lookup(project.connection, key_id)
    if info is None or info.revoked_at is not None or info.owner_id != signer_id:
        raise SignatureError(
            "key revoked", problem="the signing key was revoked; sign in again"
        )
    if is_session_user:
        project.signature_needs_user_id = False
    return Signer(signer, key_id, private)


def _targets(project: Project, record_ids: Sequence[str]) -> list[Revision]:
    if not record_ids or len(set(record_ids)) != len(record_ids):
        raise SignatureError("records", problem="name each record to sign once")
    heads = []
    conflicted = {group[0].record_id for group in project.records.conflicts()}
    for record_id in record_ids:
        try:
            found = project.records.heads(record_id)
        except RecordError:
            found = []
        if not found:
            raise SignatureError(record_id, problem=f"unknown record {record_id}")
        head = found[-1]
        if record_id in conflicted:
            raise SignatureError(record_id, problem="the record has open conflicts")
        if head.is_deleted or head.record_type == "signature":
            raise SignatureError(record_id, problem="a deleted record or a signature")
        if head.record_type == "item":
            open_conflicts = [
                rid
                for rid in conflicted
                if any(r.item_id == record_id for r in project.records.heads(rid))
            ]
            if open_conflicts:
                raise SignatureError(
                    record_id, problem="records of this item have open conflicts"
                )
        heads.append(head)
    return heads


def _payload(project_id: str, body: dict[str, Any]) -> bytes:
    signed = {
        "project_id": project_id,
        "targets": body["targets"],
        "meaning": body["meaning"],
        "signer_id": body["signer_id"],
        "printed_name": body["printed_name"],
        "key_id": body["key_id"],
        "signed_at": body["signed_at"],
        "attestation": body["attestation"],
    }
    return bytes(rfc8785.dumps(signed))


def sign_with(
    project: Project,
    signer: Signer,
    record_ids: Sequence[str],
    meaning: str,
    *,
    reason: str | None = None,
) -> Revision:
    """Sign the current revisions of ``record_ids`` as an authenticated signer."""
    heads = _targets(project, record_ids)
    items = {h.record_id if h.record_type == "item" else h.item_id for h in heads}
    body: dict[str, Any] = {
        "targets": [
            {
                "record_id": head.record_id,
                "record_type": head.record_type,
                "revision_id": head.revision_id,
                "sha256": content_hash(head),
            }
            for head in heads
        ],
        "meaning": meaning,
        "signer_id": signer.user.user_id,
        "printed_name": signer.user.printed_name,
        "key_id": signer.key_id,
        "signed_at": utc_now(),
        "attestation": ATTESTATIONS[meaning],
    }
    body["signature"] = keys.b64(
        keys.sign(signer.private_key, _payload(project.project_id, body))
    )
    item_id = items.pop() if len(items) == 1 else None
    with project.records.transaction():
        revision = project.records.create(
            "signature", body, item_id=item_id, reason=reason
        )
        project.audit.append(
            "signature.sign",
            record_type="signature",
            record_id=revision.record_id,
            new={
                "meaning": meaning,
                "signer_id": signer.user.user_id,
                "printed_name": signer.user.printed_name,
                "records": list(record_ids),
            },
            reason=reason,
        )
    logger.info("Signed %d records (%s)", len(heads), meaning)
    return revision


@mutation("signatures.sign_records")
def sign_records(
    project: Project,
    record_ids: Sequence[str],
    meaning: str,
    *,
    password: str,
    user_id: str | None = None,
    reason: str | None = None,
) -> Revision:
    """Sign one record or a set (all ROIs of a series) with a meaning.

    Parameters
    ----------
    project
        The signed-in project.
    record_ids
        The records whose current revisions are signed.
    meaning
        One of :data:`MEANINGS`.
    password
        The signer's password.
    user_id
        The signer's user ID: needed for the first signature after sign-in
        or a lock; another person's ID for a co-signature at this workstation.
    reason
        Why (needed by the rules for rejections and unlocks).

    Returns
    -------
    Revision
        The signature record's first revision.
    """
    signer = authenticate_signer(project, meaning, password=password, user_id=user_id)
    return sign_with(project, signer, record_ids, meaning, reason=reason)


def verify_signature(project: Project, signature: Revision) -> SignatureView:
    """Check one signature record and say what it is worth now."""
    body = signature.body
    view = _view(signature, VALID, None)
    try:
        message = _payload(project.project_id, body)
        raw = keys.unb64(str(body["signature"]))
    except (KeyError, TypeError, ValueError):
        return _view(signature, INVALID, "the signature record is incomplete")
    info = keys.lookup(project.connection, str(body.get("key_id")))
    if info is None or info.owner_kind != "user" or info.owner_id != body["signer_id"]:
        return _view(signature, INVALID, "the key is not the signer's")
    if info.revoked_at is not None and info.revoked_at < str(body["signed_at"]):
        return _view(signature, INVALID, "signed after the key was revoked")
    if not keys.verify(info.public_key, raw, message):
        return _view(signature, INVALID, "the signed bytes were changed or moved")
    for target in body["targets"]:
        try:
            signed = project.records.revision(str(target["revision_id"]))
        except RecordError:
            return _view(signature, INVALID, "a signed revision is missing")
        if (
            signed.record_id != target["record_id"]
            or content_hash(signed) != target["sha256"]
        ):
            return _view(signature, INVALID, "a signed revision's content differs")
        heads = project.records.heads(signed.record_id)
        if not any(head.revision_id == signed.revision_id for head in heads):
            view = _view(signature, SUPERSEDED, "the record was revised since")
    return view


def _view(signature: Revision, status: str, problem: str | None) -> SignatureView:
    body = signature.body
    signed_at = str(body.get("signed_at", signature.created_at))
    return SignatureView(
        signature_id=signature.record_id,
        meaning=str(body.get("meaning")),
        signer_id=str(body.get("signer_id")),
        printed_name=str(body.get("printed_name")),
        signed_at=signed_at,
        signed_at_local=local_time(signed_at),
        record_ids=tuple(str(t.get("record_id")) for t in body.get("targets", [])),
        status=status,
        problem=problem,
    )


def describe_signatures(project: Project, record_id: str) -> list[SignatureView]:
    """Return every signature on a record, oldest first, each checked now.

    Screens and exports show printed name, local time with zone and meaning
    wherever the record is shown (11.50).
    """
    views = []
    # Scans every signature record: slow on projects with very many of them.
    for signature in project.records.current("signature"):
        targets = signature.body.get("targets", [])
        if any(t.get("record_id") == record_id for t in targets):
            views.append(verify_signature(project, signature))
    return views
