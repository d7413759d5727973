from __future__ import annotations

from pathlib import Path

import pytest

from storage import accounts, keys
from storage.errors import (
    AccountDeactivatedError,
    AccountLockedError,
    PasswordChangeRequiredError,
    PermissionDeniedError,
    RecordError,
    WeakPasswordError,
    WrongPasswordError,
)
from storage.keyfile import KeyFile
from storage.policy import SitePolicy, password_problems
from storage.project import open_project
from tests.storage.helpers import ADMIN, ANNOTATOR, LEAD, REVIEWER, Opener


def _keyfile(folder: Path) -> KeyFile:
    return KeyFile.read(folder / "project.key")


def test_an_admin_adds_users_who_change_their_password_first(folder: Path) -> None:
    with open_project(folder, user_id="ada", password=ADMIN[2]) as project:
        user = accounts.add_user(
            project, "bob", "Bob Baker", ["annotator"], "bob's first password"
        )
        assert user.roles == {"annotator"}
        entry = project.audit.entries(action="user.add")[-1]
        assert entry.record_id == "bob"

    with pytest.raises(PasswordChangeRequiredError):
        open_project(folder, user_id="bob", password="bob's first password")
    with pytest.raises(WeakPasswordError):
        open_project(
            folder, user_id="bob", password="bob's first password", new_password="short"
        )
    with open_project(
        folder,
        user_id="bob",
        password="bob's first password",
        new_password="bob's own password",
    ) as project:
        assert project.user.printed_name == "Bob Baker"
    with open_project(folder, user_id="bob", password="bob's own password"):
        pass


def test_user_ids_are_never_reused(sign_in: Opener) -> None:
    project = sign_in(ADMIN)
    accounts.deactivate_user(project, "ann", reason="left the site")
    with pytest.raises(RecordError, match="never reused"):
        accounts.add_user(
            project, "ann", "Another Ann", ["annotator"], "a brand new password"
        )
    names = [(u.user_id, u.is_active) for u in accounts.users(project)]
    assert ("ann", False) in names


def test_only_admins_manage_users(sign_in: Opener) -> None:
    project = sign_in(LEAD)
    with pytest.raises(PermissionDeniedError):
        accounts.add_user(project, "zed", "Zed", ["annotator"], "zed's long password")
    with pytest.raises(PermissionDeniedError):
        accounts.set_roles(project, "ann", ["reviewer"], reason="promotion")


def test_role_changes_are_audited_with_old_and_new(sign_in: Opener) -> None:
    project = sign_in(ADMIN)
    accounts.set_roles(project, "ann", ["annotator", "reviewer"], reason="trained")
    entry = project.audit.entries(action="user.roles")[-1]
    assert entry.old_value == '{"roles":["annotator"]}'
    assert entry.new_value == '{"roles":["annotator","reviewer"]}'
    assert entry.reason == "trained"


def test_a_deactivated_account_cannot_sign_in(team: Path) -> None:
    with open_project(team, user_id="ada", password=ADMIN[2]) as project:
        accounts.deactivate_user(project, "ann", reason="left the site")
    with pytest.raises(AccountDeactivatedError, match="ann is deactivated"):
        open_project(team, user_id="ann", password=ANNOTATOR[2])
    with open_project(team, user_id="ada", password=ADMIN[2]) as project:
        refused = project.audit.entries(action="sign_in.refused")
        assert [(e.record_id, e.reason) for e in refused] == [
            ("ann", "account deactivated")
        ]


def test_changing_a_password_rewraps_without_rekeying(team: Path) -> None:
    before = (team / "project.db").read_bytes()[:16]
    with open_project(team, user_id="ann", password=ANNOTATOR[2]) as project:
        key_before = project.database_key()
        signing_before = project.keyfile.signing_key("ann")
        accounts.change_password(project, ANNOTATOR[2], "ann's newer password")
    with pytest.raises(WrongPasswordError):
        open_project(team, user_id="ann", password=ANNOTATOR[2])
    with open_project(team, user_id="ann", password="ann's newer password") as project:
        assert project.database_key() == key_before
        assert project.keyfile.signing_key("ann")["key_id"] == signing_before["key_id"]
        assert project.audit.entries(action="password.change")
    assert (team / "project.db").read_bytes()[:16] == before


def test_n_failures_lock_the_account_and_alert_the_site_lead(team: Path) -> None:
    for _ in range(5):
        with pytest.raises(WrongPasswordError):
            open_project(team, user_id="ann", password="guessing a password")
    assert _keyfile(team).is_locked("ann")
    with pytest.raises(AccountLockedError, match="ann is locked"):
        open_project(team, user_id="ann", password=ANNOTATOR[2])

    with open_project(team, user_id="lee", password=LEAD[2]) as project:
        alerts = accounts.list_alerts(project)
        assert [(a.body["kind"], a.body["user_id"]) for a in alerts] == [
            ("account_locked", "ann")
        ]
        assert len(project.audit.entries(action="sign_in.failed")) == 6
        assert len(project.audit.entries(action="account.lock")) == 1
        accounts.acknowledge_alert(project, alerts[0].record_id, reason="called ann")
        assert accounts.list_alerts(project) == []


def test_a_reset_needs_an_admin_and_a_site_lead(team: Path) -> None:
    with open_project(team, user_id="ann", password=ANNOTATOR[2]):
        pass  # the first sign-in gives ann a signing key
    for _ in range(5):
        with pytest.raises(WrongPasswordError):
            open_project(team, user_id="ann", password="guessing a password")
    with open_project(team, user_id="ada", password=ADMIN[2]) as p:
        old_key = keys.active_user_key(p.connection, "ann")
        with pytest.raises(PermissionDeniedError):
            accounts.reset_password(
                p,
                "ann",
                site_lead_id="ada",
                site_lead_password=ADMIN[2],
                temporary_password="temporary password 1",
                reason="locked out",
            )
        with pytest.raises(WrongPasswordError):
            accounts.reset_password(
                p,
                "ann",
                site_lead_id="lee",
                site_lead_password="not lee's password",
                temporary_password="temporary password 1",
                reason="locked out",
            )
        accounts.reset_password(
            p,
            "ann",
            site_lead_id="lee",
            site_lead_password=LEAD[2],
            temporary_password="temporary password 1",
            reason="locked out",
        )
        entry = p.audit.entries(action="user.reset")[-1]
        assert '"site_lead":"lee"' in (entry.new_value or "")
        assert keys.lookup(p.connection, old_key.key_id).revoked_at is not None

    assert not _keyfile(team).is_locked("ann")
    with pytest.raises(PasswordChangeRequiredError):
        open_project(team, user_id="ann", password="temporary password 1")
    with open_project(
        team,
        user_id="ann",
        password="temporary password 1",
        new_password="ann's chosen password",
    ) as project:
        new_key = keys.active_user_key(project.connection, "ann")
        assert new_key is not None
        assert new_key.key_id != old_key.key_id


def test_a_reviewer_cannot_approve_a_reset(sign_in: Opener) -> None:
    project = sign_in(ADMIN)
    with pytest.raises(PermissionDeniedError):
        accounts.reset_password(
            project,
            "ann",
            site_lead_id="rev",
            site_lead_password=REVIEWER[2],
            temporary_password="temporary password 1",
            reason="forgot",
        )


@pytest.mark.parametrize(
    ("password", "user_id", "problems"),
    [
        ("a long enough password", "ann", []),
        ("short pw", "ann", ["fewer than 12 characters"]),
        ("password1234", "ann", ["is a common password"]),
        ("Radiologist7!", "radiologist7", ["is the user ID"]),
        ("Qwerty123456", "bob", ["is a common password"]),
    ],
)
def test_password_rules(password: str, user_id: str, problems: list[str]) -> None:
    assert password_problems(password, user_id, SitePolicy()) == problems


def test_the_site_sets_the_rules(sign_in: Opener, team: Path) -> None:
    project = sign_in(ADMIN)
    accounts.set_policy(
        project,
        SitePolicy(min_password_length=16, lockout_failures=2),
        reason="site SOP v2",
    )
    assert project.policy.min_password_length == 16
    with pytest.raises(WeakPasswordError, match="fewer than 16"):
        accounts.add_user(project, "zed", "Zed", ["annotator"], "fifteen chars!!")
    for _ in range(2):
        with pytest.raises(WrongPasswordError):
            open_project(team, user_id="rev", password="wrong password guess")
    with pytest.raises(AccountLockedError):
        open_project(team, user_id="rev", password=REVIEWER[2])
