"""Every registered mutation of storage/ leaves an audit entry with the old value."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import accounts, items, labels
from storage.assets import put_asset
from storage.audit import to_json_text
from storage.audit_export import AuditFilter, export_audit, review_entries
from storage.backup import backup_project
from storage.checkpoints import make_checkpoint
from storage.operations import registered
from storage.policy import SitePolicy
from storage.project import Project, open_project
from storage.signatures import sign_records
from tests.storage.helpers import ADMIN, LEAD, REVIEWER

# The values a record body can hold (RFC 8785 numbers are kept to integers).
values = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.text(max_size=12)
)
bodies = st.dictionaries(st.text(min_size=1, max_size=6), values, max_size=4)

_counter = itertools.count()

# A driver runs one mutation and returns (action, record ID, expected old value).
Driver = Callable[[dict[str, Any], Any], tuple[str, str | None, Any]]


def _new_id(prefix: str) -> str:
    return f"{prefix}{next(_counter)}"


def _records_create(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    made = s["ada"].records.create("roi", body)
    return "record.create", made.record_id, None


def _records_revise(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    made = s["ada"].records.create("roi", {"first": True})
    s["ada"].records.revise(made.record_id, body)
    return "record.revise", made.record_id, made.body


def _records_delete(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    made = s["ada"].records.create("roi", body)
    s["ada"].records.delete(made.record_id, reason="test")
    return "record.delete", made.record_id, made.body


def _records_add_foreign(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    made = s["ada"].records.create("roi", {"base": 1})
    foreign = replace(
        made,
        revision_id=_new_id("f-"),
        supersedes=made.revision_id,
        body=body,
        workstation_id="ws-2",
    )
    s["ada"].records.add_foreign(foreign)
    return "record.apply", made.record_id, made.body


def _add_user(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    user_id = _new_id("u")
    accounts.add_user(
        s["ada"], user_id, "New Person", ["annotator"], "a long first password"
    )
    return "user.add", user_id, None


def _set_roles(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    user_id = _new_id("u")
    accounts.add_user(s["ada"], user_id, "P", ["annotator"], "a long first password")
    accounts.set_roles(s["ada"], user_id, ["reviewer"], reason="trained")
    return "user.roles", user_id, {"roles": ["annotator"]}


def _deactivate(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    user_id = _new_id("u")
    accounts.add_user(s["ada"], user_id, "P", ["annotator"], "a long first password")
    accounts.deactivate_user(s["ada"], user_id, reason="left")
    return "user.deactivate", user_id, {"is_active": True}


def _change_password(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    new = f"ada's password number {next(_counter)}"
    accounts.change_password(s["ada"], s["password"], new)
    s["password"] = new
    return "password.change", "ada", None  # passwords are never in the trail


def _reset_password(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    accounts.reset_password(
        s["ada"],
        "ann",
        site_lead_id="lee",
        site_lead_password=LEAD[2],
        temporary_password="a temporary password",
        reason="forgot",
    )
    return "user.reset", "ann", None


def _set_policy(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    old = s["ada"].policy
    new = SitePolicy(min_password_length=12 + next(_counter) % 5)
    accounts.set_policy(s["ada"], new, reason="SOP")
    return "policy.change", s["ada"].project_id, old.__dict__


def _acknowledge(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    alert = s["ada"].records.create("alert", {"kind": "test", "acknowledged": False})
    accounts.acknowledge_alert(s["ada"], alert.record_id, reason="seen")
    return "record.revise", alert.record_id, alert.body


def _save_label_set(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    records = s["ada"].records
    labels.save_label_set(records, "image", [labels.Label("a", "#000000")])
    old = next(r for r in records.current("label_set") if r.body["scope"] == "image")
    labels.save_label_set(records, "image", [labels.Label("b", "#ffffff")])
    return "record.revise", old.record_id, old.body


def _put_asset(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    key = _new_id("k")
    put_asset(s["ada"], "test", key, to_json_text(body).encode())
    return "asset.put", key, None


def _add_item(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    item = items.add_item(s["ada"].records, "series", "CT", body)
    return "record.create", item.record_id, None


def _set_item_status(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    item = items.add_item(s["ada"].records, "series", "CT", body)
    items.set_item_status(s["ada"].records, item.record_id, "in_progress")
    return "record.revise", item.record_id, item.body


def _unlock_item(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    ada, rev = s["ada"], s["rev"]
    item = items.add_item(ada.records, "series", "CT", body)
    items.set_item_status(ada.records, item.record_id, "submitted")
    items.set_item_status(rev.records, item.record_id, "reviewed")
    items.set_item_status(rev.records, item.record_id, "approved")
    locked = items.set_item_status(ada.records, item.record_id, "locked")
    items.unlock_item(
        ada,
        item.record_id,
        reason="fix",
        site_lead_id="lee",
        site_lead_password=LEAD[2],
    )
    return "record.revise", item.record_id, locked.body


def _sign(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    made = s["ada"].records.create("roi", body)
    signature = sign_records(
        s["ada"], [made.record_id], "authored", password=s["password"], user_id="ada"
    )
    return "record.create", signature.record_id, None


def _checkpoint(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    make_checkpoint(s["ada"])
    return "audit.checkpoint", s["ada"].project_id, None


def _backup(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    backup_project(s["ada"], s["tmp"] / _new_id("backup"))
    return "project.backup", s["ada"].project_id, None


def _review(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    review_entries(s["ada"], AuditFilter(user_id="ada"))
    return "audit.review", None, None


def _export(s: dict[str, Any], body: Any) -> tuple[str, str | None, Any]:
    export_audit(s["ada"], csv_path=s["tmp"] / f"{_new_id('a')}.csv")
    return "audit.export", None, None


DRIVERS: dict[str, Driver] = {
    "records.create": _records_create,
    "records.revise": _records_revise,
    "records.delete": _records_delete,
    "records.add_foreign": _records_add_foreign,
    "accounts.add_user": _add_user,
    "accounts.set_roles": _set_roles,
    "accounts.deactivate_user": _deactivate,
    "accounts.change_password": _change_password,
    "accounts.reset_password": _reset_password,
    "accounts.set_policy": _set_policy,
    "accounts.acknowledge_alert": _acknowledge,
    "labels.save_label_set": _save_label_set,
    "assets.put_asset": _put_asset,
    "items.add_item": _add_item,
    "items.set_item_status": _set_item_status,
    "items.unlock_item": _unlock_item,
    "signatures.sign_records": _sign,
    "checkpoints.make_checkpoint": _checkpoint,
    "backup.backup_project": _backup,
    "audit_export.review_entries": _review,
    "audit_export.export_audit": _export,
}


def test_every_registered_mutation_has_a_driver() -> None:
    assert set(registered()) == set(DRIVERS)


@pytest.mark.parametrize("name", sorted(DRIVERS))
def test_each_mutation_leaves_an_audit_entry_with_the_old_value(
    name: str, team: Path, tmp_path: Path
) -> None:
    sessions: dict[str, Any] = {"password": ADMIN[2], "tmp": tmp_path}
    sessions["ada"] = open_project(team, user_id="ada", password=ADMIN[2])
    sessions["rev"] = open_project(team, user_id="rev", password=REVIEWER[2])
    sessions["ada"].signature_needs_user_id = True

    @settings(
        max_examples=5,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(body=bodies)
    def run(body: dict[str, Any]) -> None:
        project: Project = sessions["ada"]
        before = project.audit.head()[0]
        action, record_id, old = DRIVERS[name](sessions, body)
        added = [e for e in project.audit.entries() if e.seq > before]
        matching = [
            e
            for e in added
            if e.action == action and (record_id is None or e.record_id == record_id)
        ]
        assert matching, (name, [e.action for e in added])
        assert matching[-1].old_value == to_json_text(old)
        assert project.audit.verify().is_ok

    try:
        run()
    finally:
        sessions["ada"].close()
        sessions["rev"].close()
