"""Commands for signed annotation bundles and their stores: sync, bundle, store."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.commands import (
    STDIN_LINE_HELP,
    add_project_arguments,
    command_group,
    open_from_arguments,
)
from storage.errors import QT_TRANSLATE_NOOP, SyncError

if TYPE_CHECKING:
    from app.commands import Subparsers
    from storage.project import Project
    from sync.keys import StoreKeys
    from sync.stores import Store

__all__ = ["SyncInputError", "open_store", "register"]


class SyncInputError(SyncError):
    """A sync command was given input it cannot use."""

    what = QT_TRANSLATE_NOOP("errors", "{path} cannot be used for sync.")
    hint = QT_TRANSLATE_NOOP("errors", "Check the command's arguments and try again.")


def register(subparsers: Subparsers) -> None:
    """Add ``sync``, ``bundle`` and ``store`` to ``haiops``.

    Parameters
    ----------
    subparsers
        The sub-parser collection of the ``haiops`` parser.
    """
    _register_sync(subparsers)
    _register_bundle(subparsers)
    _register_store(subparsers)


def _store_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "store",
        help="store folder (share or USB drive) or PostgreSQL connection URL; "
        "PostgreSQL passwords come from PGPASSWORD or the .pgpass file",
    )


def _saved_store_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "store",
        nargs="?",
        help="store folder or PostgreSQL connection URL; by default the store "
        "saved in the project by the Sync window",
    )


def _keys_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--keys", type=Path, required=True, help="the store's key file (site lead)"
    )
    parser.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help="read the key file passphrase from the first line of standard input",
    )


def _register_sync(subparsers: Subparsers) -> None:
    actions = command_group(subparsers, "sync", "push and pull annotation bundles")
    actions.required = True

    push = actions.add_parser("push", help="send new records to the store's inbox")
    add_project_arguments(push)
    _saved_store_argument(push)
    push.set_defaults(handler=_sync_push)

    pull = actions.add_parser("pull", help="apply the store's accepted bundles")
    add_project_arguments(pull)
    _saved_store_argument(pull)
    pull.set_defaults(handler=_sync_pull)

    status = actions.add_parser("status", help="show keys, roster, sequence, gaps")
    add_project_arguments(status)
    _saved_store_argument(status)
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(handler=_sync_status)

    withhold = actions.add_parser(
        "withhold",
        help="keep a revision the gate refused on this workstation; bundles "
        "carry it as a stub without its content",
    )
    add_project_arguments(withhold)
    withhold.add_argument("revision", help="the revision ID the refusal named")
    withhold.add_argument("--reason", required=True, help="why it is withheld")
    withhold.set_defaults(handler=_sync_withhold)

    request = actions.add_parser(
        "request", help="write this workstation's enrolment request (public keys)"
    )
    add_project_arguments(request)
    request.add_argument("out", type=Path, help="file to write")
    request.set_defaults(handler=_sync_request)

    join = actions.add_parser("join", help="take the site lead's enrolment package")
    add_project_arguments(join)
    join.add_argument("package", type=Path, help="the enrolment package file")
    join.set_defaults(handler=_sync_join)


def _register_bundle(subparsers: Subparsers) -> None:
    actions = command_group(subparsers, "bundle", "export or verify one bundle")
    actions.required = True

    export = actions.add_parser(
        "export", help="write the next bundle, sealed, to a folder (USB drive)"
    )
    add_project_arguments(export)
    export.add_argument("dir", type=Path, help="target folder")
    export.set_defaults(handler=_bundle_export)

    verify = actions.add_parser("verify", help="check a bundle file")
    verify.add_argument("file", type=Path, help="signed or sealed bundle")
    # Not add_project_arguments: here the project is optional and its help
    # says what it is for.
    verify.add_argument(
        "--project",
        type=Path,
        metavar="FOLDER",
        help="check with this project's roster",
    )
    verify.add_argument("--user", metavar="ID", help="your user ID (with --project)")
    verify.add_argument("--password-stdin", action="store_true", help=STDIN_LINE_HELP)
    verify.add_argument("--keys", type=Path, help="or with the store's key file")
    verify.add_argument("--passphrase-stdin", action="store_true")
    verify.add_argument("--store", help="the store whose roster to use (with --keys)")
    verify.set_defaults(handler=_bundle_verify)


def _register_store(subparsers: Subparsers) -> None:
    actions = command_group(subparsers, "store", "set up and run a store (site lead)")
    actions.required = True

    init = actions.add_parser("init", help="create a store, its keys and its roster")
    _store_argument(init)
    _keys_arguments(init)
    init.add_argument("--site", required=True, help="the site ID")
    init.set_defaults(handler=_store_init)

    ingest = actions.add_parser("ingest", help="check the inbox: accept or quarantine")
    _store_argument(ingest)
    _keys_arguments(ingest)
    ingest.set_defaults(handler=_store_ingest)

    enrol = actions.add_parser("enrol", help="enrol a device or user key")
    _store_argument(enrol)
    _keys_arguments(enrol)
    enrol.add_argument("--request", type=Path, help="a workstation's enrolment request")
    enrol.add_argument("--out", type=Path, help="where to write the enrolment package")
    enrol.add_argument("--user-id", help="enrol a user's key instead")
    enrol.add_argument("--public-key", type=Path, help="the user's Ed25519 key (PEM)")
    enrol.add_argument(
        "--admin-url",
        help="PostgreSQL only: an admin URL to create the workstation's role",
    )
    enrol.set_defaults(handler=_store_enrol)

    revoke = actions.add_parser("revoke", help="revoke a device or user key")
    _store_argument(revoke)
    _keys_arguments(revoke)
    revoke.add_argument("key_id", help="the key ID (or a unique prefix)")
    revoke.add_argument(
        "--last-good", type=int, required=True, help="last good sequence number"
    )
    revoke.add_argument("--reason", required=True)
    revoke.set_defaults(handler=_store_revoke)

    quarantine = actions.add_parser("quarantine", help="list, release or reject")
    _store_argument(quarantine)
    quarantine.add_argument("--release", metavar="ENTRY")
    quarantine.add_argument("--reject", metavar="ENTRY")
    quarantine.add_argument("--reason", help="the reason for the decision")
    quarantine.add_argument("--by", default="", help="your user ID")
    quarantine.set_defaults(handler=_store_quarantine)


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def _secret(flag: bool, prompt: str, what: str) -> str:
    if flag:
        value = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        value = getpass.getpass(prompt)
    else:
        value = ""
    if not value:
        raise SyncInputError(f"no {what} given", path=what)
    return value


def _store_keys(arguments: argparse.Namespace) -> StoreKeys:
    from sync.keys import StoreKeys

    passphrase = _secret(arguments.passphrase_stdin, "Key passphrase: ", "passphrase")
    return StoreKeys.load(arguments.keys, passphrase)


def _is_postgres(location: str) -> bool:
    return location.startswith(("postgresql://", "postgres://")) or "host=" in location


def open_store(location: str, *, create: bool = False) -> Store:
    """Open a folder store or a PostgreSQL store from a command-line location."""
    if _is_postgres(location):
        from sync.postgres import PostgresStore

        return PostgresStore(location)
    from sync.stores import FolderStore

    return FolderStore.create(Path(location)) if create else FolderStore(Path(location))


def _location(arguments: argparse.Namespace, project: Project) -> str:
    """Return the store given on the command line, else the one saved."""
    from sync.workstation import store_location

    location = arguments.store or store_location(project)
    if not location:
        raise SyncInputError(
            "no store given and none saved in the project", path=arguments.project
        )
    return str(location)


def _sync_push(arguments: argparse.Namespace) -> int:
    from sync.workstation import push

    with open_from_arguments(arguments) as project:
        result = push(project, open_store(_location(arguments, project)))
    if result.sequence == 0:
        _say("Nothing to push.")
    else:
        _say(f"Pushed bundle {result.sequence} ({result.record_count} records).")
    return 0


def _sync_pull(arguments: argparse.Namespace) -> int:
    from sync.workstation import pull

    with open_from_arguments(arguments) as project:
        result = pull(project, open_store(_location(arguments, project)))
        conflicts = len(project.records.conflicts())
    _say(
        f"Applied {len(result.applied)} bundles ({result.added} records), "
        f"{len(result.already)} already applied, {len(result.held)} held."
    )
    for device, missing in sorted(result.gaps.items()):
        _say(f"Waiting for {device}: sequence {', '.join(map(str, missing))}.")
    for bundle_hash, reason in result.refused:
        _say(f"Refused {bundle_hash[:12]}: {reason}.")
    if conflicts:
        _say(f"{conflicts} records are in conflict.")
    return 1 if result.refused else 0


def _sync_status(arguments: argparse.Namespace) -> int:
    from dataclasses import asdict

    from sync.workstation import status, store_location

    with open_from_arguments(arguments) as project:
        found = status(project)
        location = arguments.store or store_location(project)
        waiting, problem = _store_view(location, found.device_key_id, found.applied)
    if arguments.json:
        shown = {
            **asdict(found),
            "store": location,
            "store_waiting": waiting,
            "store_problem": problem,
        }
        _say(json.dumps(shown, indent=2, sort_keys=True))
        return 0
    _say(f"Device {found.device_id}, key {found.device_key_id}")
    if location is None:
        _say("Store: none saved (give one, or choose it in the Sync window)")
    elif problem is not None:
        _say(f"Store {location}: cannot be read ({problem})")
    else:
        _say(f"Store {location}: {waiting} accepted bundles not yet pulled")
    if found.site_id is None:
        _say("Not enrolled: give 'haiops sync request' output to your site lead.")
    else:
        expired = " (expired: pull before pushing)" if found.is_roster_expired else ""
        _say(
            f"Site {found.site_id}, roster version {found.roster_version}, "
            f"expires {found.roster_expires}{expired}"
        )
    _say(
        f"Last pushed bundle {found.sequence}; {found.unsent} records not yet pushed"
        + (f"; bundle {found.pending} waiting to be sent" if found.pending else "")
    )
    for device, sequence in sorted(found.applied.items()):
        _say(f"Applied from {device}: up to bundle {sequence}")
    for device, missing in sorted(found.gaps.items()):
        _say(f"Gap from {device}: missing {', '.join(map(str, missing))}")
    _say(f"Conflicts: {found.conflicts}")
    return 0


def _store_view(
    location: str | None, own_key: str, applied: dict[str, int]
) -> tuple[int | None, str | None]:
    """Return (accepted bundles of other devices not yet applied, problem)."""
    from storage.errors import HaiopsError

    if location is None:
        return None, None
    try:
        accepted = open_store(location).accepted()
    except HaiopsError as error:
        return None, type(error).__name__
    waiting = sum(
        1
        for bundle in accepted
        if bundle.device_id != own_key
        and bundle.sequence > applied.get(bundle.device_id, 0)
    )
    return waiting, None


def _sync_withhold(arguments: argparse.Namespace) -> int:
    from sync.workstation import withhold

    with open_from_arguments(arguments) as project:
        withhold(project, arguments.revision, reason=arguments.reason)
    _say(
        f"Withheld revision {arguments.revision}: bundles carry it without its "
        "content. Push again to send the rest."
    )
    return 0


def _sync_request(arguments: argparse.Namespace) -> int:
    from sync.canonical import canonical_bytes
    from sync.workstation import enrolment_request

    with open_from_arguments(arguments) as project:
        request = enrolment_request(project)
    arguments.out.write_bytes(canonical_bytes(request))
    _say(f"Wrote the enrolment request to {arguments.out}.")
    return 0


def _sync_join(arguments: argparse.Namespace) -> int:
    from sync.workstation import join

    package = _read(arguments.package)
    with open_from_arguments(arguments) as project:
        roster = join(project, package, path=str(arguments.package))
    _say(f"Joined site {roster.site_id} (roster version {roster.version}).")
    return 0


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise SyncInputError(str(error), path=path) from error


def _bundle_export(arguments: argparse.Namespace) -> int:
    from sync.workstation import push

    with open_from_arguments(arguments) as project:
        result = push(project, open_store(str(arguments.dir), create=True))
    if result.sequence == 0:
        _say("Nothing to export.")
    else:
        where = Path(arguments.dir) / "inbox" / f"{result.entry}.sealed"
        _say(f"Exported bundle {result.sequence} to {where}.")
    return 0


def _bundle_verify(arguments: argparse.Namespace) -> int:
    from sync.bundle import is_sealed, unseal, verify_bundle

    data = _read(arguments.file)
    path = str(arguments.file)
    if arguments.keys is not None:
        keys = _store_keys(arguments)
        if arguments.store is None:
            raise SyncInputError("--keys needs --store for the roster", path=path)
        from sync.ingest import store_roster

        roster = store_roster(open_store(arguments.store), keys)
        if is_sealed(data):
            data = unseal(data, keys.site_id, keys.encryption, path=path)
    elif arguments.project is not None:
        if is_sealed(data):
            raise SyncInputError(
                "a sealed bundle opens only with the store's key file", path=path
            )
        from sync.workstation import current_roster

        with open_from_arguments(arguments) as project:
            roster = current_roster(project)
    else:
        raise SyncInputError("give --project or --keys and --store", path=path)
    bundle = verify_bundle(data, roster, path=path)
    manifest = bundle.manifest
    _say(
        f"OK: bundle {manifest.sequence} of {manifest.device_id} for site "
        f"{manifest.site_id}, {manifest.record_count} records, "
        f"{len(bundle.signers)} signatures, hash {bundle.bundle_hash}"
    )
    return 0


def _store_init(arguments: argparse.Namespace) -> int:
    from sync.ingest import init_store
    from sync.keys import StoreKeys

    passphrase = _secret(arguments.passphrase_stdin, "New passphrase: ", "passphrase")
    if arguments.keys.exists():
        raise SyncInputError("the key file already exists", path=arguments.keys)
    if not _is_postgres(arguments.store) and arguments.keys.resolve().is_relative_to(
        Path(arguments.store).resolve()
    ):
        # Workstations read the store folder; the keys must never be there.
        raise SyncInputError("keep the key file outside the store", path=arguments.keys)
    keys = StoreKeys.generate(arguments.site)
    location = arguments.store
    if _is_postgres(location):
        from sync.postgres import add_member, init_schema

        init_schema(location)
        role, password = add_member(location, keys.site_id, "lead", keys.site_id)
        _say(f"Site lead role {role}, password {password} (keep it in .pgpass).")
        import psycopg

        params = psycopg.conninfo.conninfo_to_dict(location)
        params.update(user=role, password=password)
        location = psycopg.conninfo.make_conninfo(
            **{k: str(v) for k, v in params.items()}
        )
    store = open_store(location, create=True)
    keys.save(arguments.keys, passphrase)
    roster = init_store(store, keys)
    _say(
        f"Store for site {keys.site_id} ready; roster version {roster.version} "
        f"expires {roster.expires_at.isoformat()}. Keep {arguments.keys} off "
        "workstations."
    )
    return 0


def _store_ingest(arguments: argparse.Namespace) -> int:
    from sync.ingest import ingest

    keys = _store_keys(arguments)
    report = ingest(open_store(arguments.store), keys)
    _say(
        f"Accepted {len(report.accepted)}, quarantined {len(report.quarantined)}, "
        f"duplicates {len(report.duplicates)}, held {len(report.held)}."
    )
    for entry, reason in report.quarantined:
        _say(f"Quarantined {entry[:12]}: {reason}")
    for entry, device, sequence, expected in report.held:
        _say(f"Held {entry[:12]}: {device} bundle {sequence}, waiting for {expected}")
    return 0


def _store_enrol(arguments: argparse.Namespace) -> int:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PublicKey,
    )
    from cryptography.hazmat.primitives.serialization import (
        load_pem_public_key,
    )

    from sync.ingest import enrol_device, enrol_user

    keys = _store_keys(arguments)
    store = open_store(arguments.store)
    if arguments.user_id is not None:
        if arguments.public_key is None:
            raise SyncInputError("--user-id needs --public-key", path="--public-key")
        key = load_pem_public_key(_read(arguments.public_key))
        if not isinstance(key, Ed25519PublicKey):
            raise SyncInputError("not an Ed25519 public key", path=arguments.public_key)
        roster = enrol_user(store, keys, arguments.user_id, key)
        _say(f"Enrolled {arguments.user_id}; roster version {roster.version}.")
        return 0
    if arguments.request is None or arguments.out is None:
        raise SyncInputError("give --request and --out", path="--request")
    request = _json(arguments.request)
    package = enrol_device(store, keys, request)
    arguments.out.write_bytes(package)
    _say(f"Enrolled {request.get('device_id')}; package written to {arguments.out}.")
    if arguments.admin_url:
        from sync.postgres import add_member

        role, password = add_member(
            arguments.admin_url, keys.site_id, "workstation", str(request["device_id"])
        )
        _say(f"Workstation role {role}, password {password} (for its .pgpass).")
    return 0


def _json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(_read(path))
    except ValueError as error:
        raise SyncInputError(f"not JSON: {error}", path=path) from error
    if not isinstance(value, dict):
        raise SyncInputError("not a JSON object", path=path)
    return value


def _store_revoke(arguments: argparse.Namespace) -> int:
    from sync.ingest import revoke

    keys = _store_keys(arguments)
    roster = revoke(
        open_store(arguments.store),
        keys,
        arguments.key_id,
        arguments.last_good,
        arguments.reason,
    )
    _say(f"Revoked; roster version {roster.version}.")
    return 0


def _store_quarantine(arguments: argparse.Namespace) -> int:
    store = open_store(arguments.store)
    for decision, entry in (
        ("released", arguments.release),
        ("rejected", arguments.reject),
    ):
        if entry:
            if not arguments.reason:
                raise SyncInputError("a decision needs --reason", path=entry)
            store.decide(entry, decision, arguments.reason, arguments.by)
            _say(f"{decision.capitalize()} {entry[:12]}.")
    for item in store.quarantined():
        decided = f", {item.decision}: {item.decision_reason}" if item.decision else ""
        _say(f"{item.entry} {item.reason}: {item.detail}{decided}")
    return 0
