"""Bundles carry a signed audit checkpoint, checked at ingest and pull."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sync_support import Site

from storage.assets import get_asset
from storage.checkpoints import verify_with_checkpoint
from storage.project import Project
from sync.bundle import CHECKPOINT_FILE, build_bundle, read_bundle, seal, unseal
from sync.ingest import ingest
from sync.workstation import KIND, device_keys, push


def _pushed_bundle(site: Site, project: Project) -> tuple[str, dict[str, Any]]:
    project.records.create("roi", {"label": "lesion"})
    pushed = push(project, site.store)
    sealed = get_asset(project, KIND, "bundle", version=pushed.bundle_hash)
    assert sealed is not None
    signed = unseal(sealed, site.keys.site_id, site.keys.encryption)
    return pushed.entry, {"signed": signed, "bundle": read_bundle(signed)}


def test_a_bundle_carries_a_signed_checkpoint_of_the_audit_head(
    site: Site, workstation: Callable[[str], Project]
) -> None:
    alpha = workstation("ws-alpha")
    _, pushed = _pushed_bundle(site, alpha)
    bundle = pushed["bundle"]
    checkpoint = json.loads(bundle.files[CHECKPOINT_FILE])

    assert checkpoint["format"] == "haiops-audit-checkpoint"
    assert (checkpoint["count"], checkpoint["head_hash"]) == bundle.manifest.audit_head
    assert checkpoint["project_id"] == alpha.project_id
    assert checkpoint["signer"]["id"] == "ws-alpha"
    assert verify_with_checkpoint(alpha, checkpoint).is_ok
    made = [e for e in alpha.audit.entries() if e.action == "audit.checkpoint"]
    assert json.loads(made[-1].new_value or "{}")["purpose"] == "bundle"
    assert made[-1].seq == checkpoint["count"]
    assert len(ingest(site.store, site.keys).accepted) == 1


@pytest.mark.parametrize("forgery", ["signature", "unsigned"])
def test_a_bundle_with_a_bad_checkpoint_is_quarantined(
    site: Site, workstation: Callable[[str], Project], forgery: str
) -> None:
    alpha = workstation("ws-alpha")
    entry, pushed = _pushed_bundle(site, alpha)
    (site.store.root / "inbox" / f"{entry}.sealed").unlink()
    bundle = pushed["bundle"]
    checkpoint = json.loads(bundle.files[CHECKPOINT_FILE])
    # The device key signs the manifest: only the checkpoint is wrong.
    options: dict[str, Any] = {}
    if forgery == "signature":
        forged = {**checkpoint, "count": checkpoint["count"] + 1}
        options["checkpoint"] = lambda: forged
    else:
        options["audit_head"] = bundle.manifest.audit_head
    rebuilt = build_bundle(
        json.loads(bundle.files["revisions.json"]),
        site_id="site-a",
        device_id="ws-alpha",
        device_key=device_keys(alpha).signing,
        sequence=1,
        previous_bundle_hash="0" * 64,
        created_at=bundle.manifest.created_at,
        **options,
    )
    site.store.put_inbox(
        seal(rebuilt.to_bytes(), "site-a", site.keys.encryption.public_key())
    )

    report = ingest(site.store, site.keys)

    assert [reason for _, reason in report.quarantined] == ["bad_checkpoint"]
    assert site.store.accepted() == []
