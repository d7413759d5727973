"""Accounts: adding users, roles, deactivation, passwords, resets and alerts.

Every change is checked against the role matrix in the data layer and writes
an audit entry in the same transaction as the change. A change to the key
file (a new wrap) is written inside that transaction, before the commit, so
a failed write leaves both unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from storage import keys, permissions
from storage.errors import (
    PermissionDeniedError,
    RecordError,
    StorageError,
    WrongPasswordError,
)
from storage.operations import mutation
from storage.policy import SitePolicy, check_password
from storage.records import Revision
from storage.users import ROLES, User, list_users, read_user

if TYPE_CHECKING:
    from storage.project import Project

logger = logging.getLogger(__name__)


def _roles(roles: Iterable[str]) -> list[str]:
    chosen = sorted(set(roles))
    unknown = [role for role in chosen if role not in ROLES]
    if unknown or not chosen:
        raise RecordError(f"roles must be some of {ROLES}, got {chosen}", record="user")
    return chosen


@mutation("accounts.add_user")
def add_user(
    project: Project,
    user_id: str,
    printed_name: str,
    roles: Iterable[str],
    password: str,
    *,
    must_change_password: bool = True,
) -> User:
    """Add a person with an initial password (changed at first sign-in).

    Raises
    ------
    PermissionDeniedError
        Unless the signed-in user is an admin.
    RecordError
        When the user ID was ever used (IDs are never reused) or a role is
        unknown.
    WeakPasswordError
        When the password breaks the site's rules.
    """
    permissions.require(project.user, "add", "user")
    chosen = _roles(roles)
    if not user_id.strip() or not printed_name.strip() or "," in user_id:
        raise RecordError("a user ID and a printed name are needed", record="user")
    if read_user(project.connection, user_id) is not None:
        raise RecordError("user IDs are never reused", record=user_id)
    check_password(password, user_id, project.policy)

    from storage.audit import utc_now

    with project.records.transaction():
        project.connection.execute(
            "INSERT INTO users VALUES (?, ?, ?, 1, ?)",
            (user_id, printed_name, ",".join(chosen), utc_now()),
        )
        project.audit.append(
            "user.add",
            record_type="user",
            record_id=user_id,
            new={"printed_name": printed_name, "roles": chosen},
        )
        with project.updating_keyfile() as keyfile:
            keyfile.add_wrap(user_id, project.database_key(), password)
            keyfile.account(user_id)["must_change_password"] = must_change_password
    logger.info("Added a user with %d roles", len(chosen))
    user = read_user(project.connection, user_id)
    assert user is not None
    return user


@mutation("accounts.set_roles")
def set_roles(
    project: Project, user_id: str, roles: Iterable[str], *, reason: str
) -> User:
    """Give a user a new set of roles (an admin's action, with a reason)."""
    permissions.require(project.user, "set_roles", "user")
    chosen = _roles(roles)
    old = _existing(project, user_id)
    if not reason.strip():
        raise RecordError("a reason is needed", record=user_id)
    with project.records.transaction():
        project.connection.execute(
            "UPDATE users SET roles = ? WHERE user_id = ?", (",".join(chosen), user_id)
        )
        project.audit.append(
            "user.roles",
            record_type="user",
            record_id=user_id,
            old={"roles": sorted(old.roles)},
            new={"roles": chosen},
            reason=reason,
        )
    return _existing(project, user_id)


@mutation("accounts.deactivate_user")
def deactivate_user(project: Project, user_id: str, *, reason: str) -> User:
    """Deactivate an account: it can sign in and sign no more; it stays listed."""
    permissions.require(project.user, "deactivate", "user")
    old = _existing(project, user_id)
    if not reason.strip():
        raise RecordError("a reason is needed", record=user_id)
    if user_id == project.user.user_id:
        raise RecordError("admins cannot deactivate themselves", record=user_id)
    with project.records.transaction():
        project.connection.execute(
            "UPDATE users SET is_active = 0 WHERE user_id = ?", (user_id,)
        )
        active = keys.active_user_key(project.connection, user_id)
        if active is not None:
            keys.revoke(project.connection, active.key_id, "account deactivated")
        project.audit.append(
            "user.deactivate",
            record_type="user",
            record_id=user_id,
            old={"is_active": old.is_active},
            new={"is_active": False},
            reason=reason,
        )
    return _existing(project, user_id)


@mutation("accounts.change_password")
def change_password(project: Project, old_password: str, new_password: str) -> None:
    """Change the signed-in user's own password: a re-wrap, no re-key.

    Raises
    ------
    WrongPasswordError
        When ``old_password`` is not the current one (counted as a failure).
    WeakPasswordError
        When ``new_password`` breaks the site's rules.
    """
    user_id = project.user.user_id
    check_password(new_password, user_id, project.policy)
    if not project.verify_password(old_password):
        raise WrongPasswordError("old password", path=project.folder, user=user_id)
    with project.records.transaction():
        project.audit.append("password.change", record_type="user", record_id=user_id)
        with project.updating_keyfile() as keyfile:
            keyfile.add_wrap(user_id, project.database_key(), new_password)
            try:
                keyfile.rewrap_signing_key(user_id, old_password, new_password)
            except WrongPasswordError:
                # A signing key wrapped under another password is useless now.
                keyfile.drop_signing_key(user_id)
            keyfile.account(user_id)["must_change_password"] = False
    logger.info("A user changed their password")


@mutation("accounts.reset_password")
def reset_password(
    project: Project,
    user_id: str,
    *,
    site_lead_id: str,
    site_lead_password: str,
    temporary_password: str,
    reason: str,
) -> None:
    """Reset a user's password; needs the signed-in admin and a site lead.

    The site lead proves who they are with their own password (checked
    against the key file, and counted like a sign-in when wrong). The user's
    signing key is revoked; their old signatures stay valid history. The
    user signs in with the temporary password and must choose a new one,
    which gives them a new signing key. A lock from failed sign-ins ends.

    Raises
    ------
    PermissionDeniedError
        Unless the signed-in user is an admin and ``site_lead_id`` another
        active person with the site lead role.
    WrongPasswordError
        When the site lead's password is wrong.
    """
    permissions.require(project.user, "reset", "user")
    _existing(project, user_id)
    if not reason.strip():
        raise RecordError("a reason is needed", record=user_id)
    lead = read_user(project.connection, site_lead_id)
    if lead is None or site_lead_id == project.user.user_id:
        raise PermissionDeniedError(
            "a second person, a site lead, must approve the reset",
            user=site_lead_id,
            action="approve a password reset",
        )
    permissions.require(lead, "approve_reset", "user")
    if user_id in (project.user.user_id, site_lead_id):
        raise PermissionDeniedError(
            "nobody resets their own password",
            user=project.user.user_id,
            action="reset their own password",
        )
    check_password(temporary_password, user_id, project.policy)
    _check_other_password(project, site_lead_id, site_lead_password)

    with project.records.transaction():
        active = keys.active_user_key(project.connection, user_id)
        if active is not None:
            keys.revoke(project.connection, active.key_id, "password reset")
        project.audit.append(
            "user.reset",
            record_type="user",
            record_id=user_id,
            new={
                "admin": project.user.user_id,
                "site_lead": site_lead_id,
                "revoked_key": active.key_id if active else None,
            },
            reason=reason,
        )
        with project.updating_keyfile() as keyfile:
            keyfile.add_wrap(user_id, project.database_key(), temporary_password)
            keyfile.drop_signing_key(user_id)
            keyfile.account(user_id).update(
                failures=0, locked_at=None, must_change_password=True
            )
    logger.info("A password was reset by two people")


def _check_other_password(project: Project, user_id: str, password: str) -> None:
    keyfile = project.reload_keyfile()
    if keyfile.is_locked(user_id):
        raise WrongPasswordError("account locked", path=project.folder, user=user_id)
    try:
        keyfile.unwrap(user_id, password)
    except WrongPasswordError:
        from storage.project import count_failure

        with project.updating_keyfile() as fresh:
            count_failure(fresh, user_id, project.workstation_id, deferred=False)
        with project.records.transaction():
            project.audit.append(
                "sign_in.failed",
                record_type="user",
                record_id=user_id,
                user=(user_id, ""),
                reason="second person's password check",
            )
        raise


@mutation("accounts.set_policy")
def set_policy(project: Project, policy: SitePolicy, *, reason: str) -> None:
    """Change the site's password and lockout settings (an admin's action)."""
    permissions.require(project.user, "set", "policy")
    if policy.min_password_length < 8 or policy.lockout_failures < 1:
        raise StorageError("passwords of at least 8 characters, 1+ failures")
    old = project.policy
    with project.records.transaction():
        project.connection.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('policy', ?)",
            (policy.to_json(),),
        )
        project.audit.append(
            "policy.change",
            record_type="project",
            record_id=project.project_id,
            old=old.__dict__,
            new=policy.__dict__,
            reason=reason,
        )
        with project.updating_keyfile() as keyfile:
            keyfile.extra["policy"] = {"lockout_failures": policy.lockout_failures}


def list_alerts(
    project: Project, *, include_acknowledged: bool = False
) -> list[Revision]:
    """Return the alerts for site leads (locked accounts, recovery used)."""
    alerts = project.records.current("alert")
    if include_acknowledged:
        return alerts
    return [alert for alert in alerts if not alert.body.get("acknowledged")]


@mutation("accounts.acknowledge_alert")
def acknowledge_alert(project: Project, record_id: str, *, reason: str) -> Revision:
    """Mark an alert as seen by a site lead or admin."""
    permissions.require(project.user, "acknowledge", "alert")
    current = project.records.head(record_id)
    return project.records.revise(
        record_id,
        {**current.body, "acknowledged": True, "by": project.user.user_id},
        reason=reason,
    )


def users(project: Project) -> list[User]:
    """Return every user, deactivated ones included."""
    return list_users(project.connection)


def _existing(project: Project, user_id: str) -> User:
    user = read_user(project.connection, user_id)
    if user is None:
        raise RecordError("unknown user", record=user_id)
    return user
