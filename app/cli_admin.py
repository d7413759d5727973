"""Part 11 commands: users, alerts, audit verify/export/checkpoint, backup, restore.

Every command signs in with ``--project FOLDER --user ID`` and reads passwords
from standard input with ``--password-stdin`` (one per line, in the order the
command's help says), never from arguments, so they stay out of shell history
and process lists.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.commands import (
    STDIN_LINES_HELP,
    add_project_arguments,
    command_group,
    open_from_arguments,
    read_password,
)
from storage.errors import ServiceError

if TYPE_CHECKING:
    from app.commands import Subparsers

logger = logging.getLogger(__name__)

Handler = Callable[[argparse.Namespace], int]


def register(subparsers: Subparsers) -> None:
    """Add ``user``, ``alerts``, ``audit`` and ``project backup|restore``.

    Parameters
    ----------
    subparsers
        The sub-parser collection of the ``haiops`` parser.
    """
    user = command_group(
        subparsers, "user", "accounts: add, reset, passwd, roles, deactivate, list"
    )
    _add_user_commands(user)

    alerts = subparsers.add_parser("alerts", help="alerts for site leads")
    _sign_in_arguments(alerts)
    alerts.add_argument("--all", action="store_true", help="acknowledged ones too")
    alerts.set_defaults(handler=_alerts)

    audit = command_group(subparsers, "audit", "check, export and checkpoint the trail")
    _add_audit_commands(audit)

    _add_project_commands(command_group(subparsers, "project", "manage projects"))


def _sign_in_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser, password_help=STDIN_LINES_HELP)


def _add_user_commands(user: Subparsers) -> None:
    add = user.add_parser(
        "add", help="add a user (admin); stdin: your password, their first password"
    )
    _sign_in_arguments(add)
    add.add_argument("user_id", help="the new user's ID (never reused)")
    add.add_argument("--name", required=True, help="printed name for signatures")
    add.add_argument(
        "--role",
        action="append",
        required=True,
        choices=("annotator", "reviewer", "site_lead", "admin"),
        help="a role (repeat for several)",
    )
    add.set_defaults(handler=_user_add)

    reset = user.add_parser(
        "reset",
        help="reset a password (admin and site lead); stdin: your password, "
        "the site lead's password, the temporary password",
    )
    _sign_in_arguments(reset)
    reset.add_argument("user_id", help="whose password to reset")
    reset.add_argument("--site-lead", required=True, help="the site lead's user ID")
    reset.add_argument("--reason", required=True, help="why the reset is needed")
    reset.set_defaults(handler=_user_reset)

    passwd = user.add_parser(
        "passwd", help="change your password; stdin: old password, new password"
    )
    _sign_in_arguments(passwd)
    passwd.set_defaults(handler=_user_passwd)

    roles = user.add_parser("roles", help="give a user new roles (admin)")
    _sign_in_arguments(roles)
    roles.add_argument("user_id", help="whose roles change")
    roles.add_argument(
        "--role",
        action="append",
        required=True,
        choices=("annotator", "reviewer", "site_lead", "admin"),
        help="a role (repeat for several)",
    )
    roles.add_argument("--reason", required=True, help="why the roles change")
    roles.set_defaults(handler=_user_roles)

    deactivate = user.add_parser(
        "deactivate", help="deactivate an account (admin); it is never deleted"
    )
    _sign_in_arguments(deactivate)
    deactivate.add_argument("user_id", help="whose account to deactivate")
    deactivate.add_argument("--reason", required=True, help="why")
    deactivate.set_defaults(handler=_user_deactivate)

    listing = user.add_parser("list", help="list users; stdin: your password")
    _sign_in_arguments(listing)
    listing.set_defaults(handler=_user_list)


def _add_audit_commands(audit: Subparsers) -> None:
    verify = audit.add_parser("verify", help="check the audit chain")
    _sign_in_arguments(verify)
    verify.add_argument(
        "--checkpoint", type=Path, help="a checkpoint file to check the chain against"
    )
    verify.set_defaults(handler=_audit_verify)

    export = audit.add_parser("export", help="write the trail as PDF and CSV")
    _sign_in_arguments(export)
    export.add_argument("--pdf", type=Path, help="PDF file to write")
    export.add_argument("--csv", type=Path, help="CSV file to write")
    export.add_argument("--record", help="only the history of this record ID")
    export.set_defaults(handler=_audit_export)

    checkpoint = audit.add_parser("checkpoint", help="write a signed checkpoint")
    _sign_in_arguments(checkpoint)
    checkpoint.add_argument("out", type=Path, help="checkpoint file to write")
    checkpoint.set_defaults(handler=_audit_checkpoint)


def _add_project_commands(project: Subparsers) -> None:
    backup = project.add_parser("backup", help="write an encrypted backup folder")
    _sign_in_arguments(backup)
    backup.add_argument("out", type=Path, help="new folder for the backup")
    backup.set_defaults(handler=_project_backup)

    restore = project.add_parser(
        "restore", help="check a backup, then restore it into a folder"
    )
    restore.add_argument("backup", type=Path, help="the backup folder")
    restore.add_argument("folder", type=Path, help="the project folder to restore to")
    restore.add_argument("--user", required=True, help="your user ID (an admin)")
    restore.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin"
    )
    restore.set_defaults(handler=_project_restore)


def _say(text: str) -> None:
    print(text)  # noqa: T201 -- the command's output


# Handlers


def _user_add(arguments: argparse.Namespace) -> int:
    from storage.accounts import add_user

    with open_from_arguments(arguments) as project:
        user = add_user(
            project,
            arguments.user_id,
            arguments.name,
            arguments.role,
            read_password(arguments, "the new user's first password"),
        )
    _say(
        f"Added {user.user_id} ({', '.join(sorted(user.roles))}); "
        "they choose a new password at first sign-in"
    )
    return 0


def _user_reset(arguments: argparse.Namespace) -> int:
    from storage.accounts import reset_password

    with open_from_arguments(arguments) as project:
        reset_password(
            project,
            arguments.user_id,
            site_lead_id=arguments.site_lead,
            site_lead_password=read_password(arguments, "the site lead's password"),
            temporary_password=read_password(arguments, "the temporary password"),
            reason=arguments.reason,
        )
    _say(f"Reset the password of {arguments.user_id}; their signing key is revoked")
    return 0


def _user_passwd(arguments: argparse.Namespace) -> int:
    from storage.accounts import change_password
    from storage.errors import PasswordChangeRequiredError
    from storage.project import open_project

    old = read_password(arguments, "your password")
    new = read_password(arguments, "your new password")
    try:
        project = open_project(arguments.project, user_id=arguments.user, password=old)
    except PasswordChangeRequiredError:
        # After a reset, the change happens as part of signing in.
        project = open_project(
            arguments.project, user_id=arguments.user, password=old, new_password=new
        )
    else:
        with project:
            change_password(project, old, new)
        _say("Password changed")
        return 0
    project.close()
    _say("Password changed; a new signing key was made")
    return 0


def _user_roles(arguments: argparse.Namespace) -> int:
    from storage.accounts import set_roles

    with open_from_arguments(arguments) as project:
        user = set_roles(
            project, arguments.user_id, arguments.role, reason=arguments.reason
        )
    _say(f"{user.user_id} now has the roles {', '.join(sorted(user.roles))}")
    return 0


def _user_deactivate(arguments: argparse.Namespace) -> int:
    from storage.accounts import deactivate_user

    with open_from_arguments(arguments) as project:
        deactivate_user(project, arguments.user_id, reason=arguments.reason)
    _say(f"Deactivated {arguments.user_id}; their signing key is revoked")
    return 0


def _user_list(arguments: argparse.Namespace) -> int:
    from storage.accounts import users

    with open_from_arguments(arguments) as project:
        _say("User ID\tPrinted name\tRoles\tState")
        for user in users(project):
            state = "active" if user.is_active else "deactivated"
            roles = ",".join(sorted(user.roles))
            _say(f"{user.user_id}\t{user.printed_name}\t{roles}\t{state}")
    return 0


def _alerts(arguments: argparse.Namespace) -> int:
    from storage.accounts import list_alerts

    with open_from_arguments(arguments) as project:
        alerts = list_alerts(project, include_acknowledged=arguments.all)
        for alert in alerts:
            body = alert.body
            _say(
                f"{body.get('at')}\t{body.get('kind')}\t{body.get('user_id')}\t"
                f"{'acknowledged' if body.get('acknowledged') else 'open'}"
            )
        if not alerts:
            _say("No open alerts")
    return 0


def _audit_verify(arguments: argparse.Namespace) -> int:
    from storage.checkpoints import read_checkpoint, verify_with_checkpoint

    checkpoint = None
    if arguments.checkpoint is not None:
        checkpoint = read_checkpoint(arguments.checkpoint)
    with open_from_arguments(arguments) as project:
        # Verify before this session's own entries could hide a cut tail.
        if checkpoint is not None:
            result = verify_with_checkpoint(
                project, checkpoint, path=str(arguments.checkpoint)
            )
        else:
            result = project.audit.verify()
    if result.is_ok:
        _say(f"OK {result.count} entries, head {result.head_hash}")
        return 0
    _say(f"BAD at entry {result.first_bad_seq}: {result.problem}")
    return 1


def _audit_export(arguments: argparse.Namespace) -> int:
    from storage.audit_export import AuditFilter, export_audit

    if arguments.pdf is None and arguments.csv is None:
        raise ServiceError("give --pdf or --csv", path="audit export")
    with open_from_arguments(arguments) as project:
        checkpoint = export_audit(
            project,
            pdf=arguments.pdf,
            csv_path=arguments.csv,
            where=AuditFilter(record_id=arguments.record),
        )
    _say(f"Exported {checkpoint['count']} entries, head {checkpoint['head_hash']}")
    return 0


def _audit_checkpoint(arguments: argparse.Namespace) -> int:
    from storage.checkpoints import make_checkpoint, write_checkpoint

    with open_from_arguments(arguments) as project:
        checkpoint = make_checkpoint(project, purpose="checkpoint file")
    write_checkpoint(checkpoint, arguments.out)
    _say(f"Checkpoint {checkpoint['count']} entries, head {checkpoint['head_hash']}")
    return 0


def _project_backup(arguments: argparse.Namespace) -> int:
    from storage.backup import backup_project

    with open_from_arguments(arguments) as project:
        checkpoint = backup_project(project, arguments.out)
    _say(
        f"Backup written to {arguments.out} "
        f"({checkpoint['count']} audit entries, head {checkpoint['head_hash']})"
    )
    return 0


def _project_restore(arguments: argparse.Namespace) -> int:
    from storage.backup import restore_project

    result = restore_project(
        arguments.backup,
        arguments.folder,
        user_id=arguments.user,
        password=read_password(arguments),
    )
    _say(
        f"Restored into {arguments.folder}: audit chain OK with {result.count} "
        f"entries, head {result.head_hash}"
    )
    return 0
