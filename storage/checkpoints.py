"""Signed checkpoints of the audit chain's head, kept outside the database.

A checkpoint holds the project ID, the number of audit entries and the hash
of the last one, signed with this workstation's Ed25519 key (or a user's).
Everyone who holds the database key can rewrite the whole chain
consistently; a checkpoint written earlier into an export, a backup or a
bundle is what shows it (``haiops audit verify --checkpoint FILE``).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import rfc8785

from storage import keys
from storage.audit import VerifyResult, utc_now
from storage.errors import CheckpointError
from storage.operations import mutation
from storage.private_files import write_private_text

if TYPE_CHECKING:
    from storage.project import Project

logger = logging.getLogger(__name__)

CHECKPOINT_FORMAT = "haiops-audit-checkpoint"
CHECKPOINT_VERSION = 1
_SIGNED_FIELDS = (
    "format",
    "version",
    "project_id",
    "count",
    "head_hash",
    "at",
    "signer",
)


def _signed_bytes(checkpoint: dict[str, Any]) -> bytes:
    return bytes(rfc8785.dumps({name: checkpoint[name] for name in _SIGNED_FIELDS}))


@mutation("checkpoints.make_checkpoint")
def make_checkpoint(project: Project, *, purpose: str = "export") -> dict[str, Any]:
    """Record a checkpoint in the trail and return it signed by this workstation.

    The trail's own entry ``audit.checkpoint`` comes first, so the checkpoint
    covers the record of its making.
    """
    from storage.project import default_config_dir

    private, public = keys.workstation_key(default_config_dir())
    with project.records.transaction():
        key_id = keys.register(
            project.connection, "workstation", project.workstation_id, public
        )
        project.audit.append(
            "audit.checkpoint",
            record_type="project",
            record_id=project.project_id,
            new={"purpose": purpose, "key_id": key_id},
        )
        count, head_hash = project.audit.head()
    checkpoint: dict[str, Any] = {
        "format": CHECKPOINT_FORMAT,
        "version": CHECKPOINT_VERSION,
        "project_id": project.project_id,
        "count": count,
        "head_hash": head_hash,
        "at": utc_now(),
        "signer": {
            "kind": "workstation",
            "id": project.workstation_id,
            "key_id": key_id,
            "public_key": keys.b64(public),
        },
    }
    checkpoint["signature"] = keys.b64(keys.sign(private, _signed_bytes(checkpoint)))
    return checkpoint


def write_checkpoint(checkpoint: dict[str, Any], path: Path) -> Path:
    """Write a checkpoint as JSON to ``path``."""
    return write_private_text(
        Path(path), json.dumps(checkpoint, indent=2, sort_keys=True) + "\n"
    )


def read_checkpoint(path: Path) -> dict[str, Any]:
    """Read a checkpoint file and check its signature.

    Raises
    ------
    CheckpointError
        When the file is not a checkpoint or its signature does not verify.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CheckpointError(str(error), path=path) from None
    check_signature(data, path=str(path))
    return dict(data)


def check_signature(checkpoint: Any, *, path: str = "checkpoint") -> None:
    """Raise CheckpointError unless ``checkpoint`` is well formed and signed."""
    if (
        not isinstance(checkpoint, dict)
        or checkpoint.get("format") != CHECKPOINT_FORMAT
    ):
        raise CheckpointError("not an audit checkpoint", path=path)
    try:
        public = keys.unb64(checkpoint["signer"]["public_key"])
        signature = keys.unb64(checkpoint["signature"])
        message = _signed_bytes(checkpoint)
        key_id = checkpoint["signer"]["key_id"]
    except (KeyError, TypeError, ValueError) as error:
        raise CheckpointError(f"incomplete: {error}", path=path) from None
    if keys.key_id_of(public) != key_id or not keys.verify(public, signature, message):
        raise CheckpointError("the signature does not verify", path=path)


def verify_with_checkpoint(
    project: Project, checkpoint: dict[str, Any], *, path: str = "checkpoint"
) -> VerifyResult:
    """Check the chain, and that it still holds the checkpoint's head.

    Raises
    ------
    CheckpointError
        When the checkpoint is of another project, is not signed, or its key
        is not one this project registered.
    """
    check_signature(checkpoint, path=path)
    if checkpoint.get("project_id") != project.project_id:
        raise CheckpointError("the checkpoint is of another project", path=path)
    info = keys.lookup(project.connection, str(checkpoint["signer"]["key_id"]))
    if info is None:
        # The trail was rewritten (its key table too) or the checkpoint is forged.
        return VerifyResult(
            False,
            *project.audit.head(),
            None,
            "the checkpoint's key is not registered in this project",
        )
    return project.audit.verify(checkpoint)
