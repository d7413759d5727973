"""Commands for terminologies and document annotations: terminology load/search, doc."""

from __future__ import annotations

import argparse
import getpass
import hashlib
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.exports.documents import FORMATS
from storage.errors import QT_TRANSLATE_NOOP, ServiceError

logger = logging.getLogger(__name__)


class SignInInputError(ServiceError):
    """No password was given to sign in to a project."""

    what = QT_TRANSLATE_NOOP("errors", "No password was given for {path}.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Give the password on standard input with --password-stdin."
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``terminology load|search`` and ``doc export|import-gold`` to ``haiops``.

    Parameters
    ----------
    subparsers
        The sub-parser collection of the ``haiops`` parser.
    """
    terminology = subparsers.add_parser("terminology", help="MedDRA and other codes")
    actions = terminology.add_subparsers(dest="terminology_command", metavar="ACTION")

    load = actions.add_parser("load", help="keep a MedDRA release in a project")
    load.add_argument("folder", type=Path, help="the release's ASCII folder")
    load.add_argument("--meddra-version", help="release version if no version file")
    _project_arguments(load, required=True)
    load.set_defaults(handler=_terminology_load)

    search = actions.add_parser("search", help="search MedDRA LLTs")
    search.add_argument("text", help="English, Japanese or kana")
    search.add_argument("--folder", type=Path, help="a release folder instead")
    search.add_argument("--meddra-version", help="release version if no version file")
    search.add_argument("--limit", type=int, default=20)
    _project_arguments(search, required=False)
    search.set_defaults(handler=_terminology_search)

    doc_actions = _doc_actions(subparsers)
    export = doc_actions.add_parser("export", help="export span annotations")
    export.add_argument("out", type=Path, help="output file (folder for brat, conll)")
    export.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
    export.add_argument("--study-id", default="", help="STUDYID for SDTM")
    export.add_argument(
        "--include-uncertain",
        action="store_true",
        help="keep negated and hypothetical mentions in SDTM and FHIR",
    )
    _project_arguments(export, required=True)
    export.set_defaults(handler=_doc_export)

    gold = doc_actions.add_parser(
        "import-gold", help="import a TAC 2017 ADR label as gold-standard spans"
    )
    gold.add_argument("tac_xml", type=Path)
    _project_arguments(gold, required=True)
    gold.set_defaults(handler=_doc_import_gold)


def _doc_actions(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    # Another command module may own "doc" already; ours then adds to its actions.
    existing = subparsers.choices.get("doc")
    if existing is not None:
        for action in existing._actions:
            if isinstance(action, argparse._SubParsersAction):
                return action
        return existing.add_subparsers(dest="doc_command", metavar="ACTION")
    doc = subparsers.add_parser("doc", help="document annotations")
    return doc.add_subparsers(dest="doc_command", metavar="ACTION")


def _project_arguments(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--project", type=Path, required=required)
    parser.add_argument("--user", required=required, help="your user ID")
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input",
    )


def _password(arguments: argparse.Namespace) -> str:
    if arguments.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass("Password: ")
    else:
        raise SignInInputError("no terminal to ask for it", path=arguments.project)
    if not password:
        raise SignInInputError("empty password", path=arguments.project)
    return password


@contextmanager
def _signed_in(arguments: argparse.Namespace) -> Iterator[Any]:
    from storage.project import open_project

    if arguments.project is None or arguments.user is None:
        raise ServiceError("--project and --user are needed", path="--project")
    project = open_project(
        arguments.project, user_id=arguments.user, password=_password(arguments)
    )
    try:
        yield project
    finally:
        project.close()


def _say(text: str) -> None:
    print(text)  # noqa: T201 -- the command's output


def _terminology_load(arguments: argparse.Namespace) -> int:
    from app.terminology.meddra import load_meddra, save_to_project

    terminology = load_meddra(arguments.folder, version=arguments.meddra_version)
    with _signed_in(arguments) as project:
        save_to_project(project, terminology)
    _say(
        f"MedDRA {terminology.version}: {len(terminology.llts)} LLTs, "
        f"{len(terminology.pts)} PTs kept in the project"
    )
    return 0


def _terminology_search(arguments: argparse.Namespace) -> int:
    from app.terminology.meddra import load_from_project, load_meddra

    if arguments.folder is not None:
        terminology = load_meddra(arguments.folder, version=arguments.meddra_version)
    else:
        with _signed_in(arguments) as project:
            terminology = load_from_project(project)
    results = terminology.search(arguments.text, limit=arguments.limit)
    for result in results:
        flag = "" if result.is_current else "  [not current]"
        japanese = f" / {result.llt_ja}" if result.llt_ja else ""
        _say(f"LLT {result.llt_code} {result.llt}{japanese}{flag}")
        _say(f"    PT {result.pt_code} {result.pt}")
        for path in result.paths:
            mark = "*" if path.is_primary else " "
            _say(
                f"   {mark}HLT {path.hlt_code} {path.hlt} > HLGT {path.hlgt_code} "
                f"{path.hlgt} > SOC {path.soc_code} {path.soc}"
            )
    _say(f"{len(results)} results (MedDRA {terminology.version}; * primary SOC)")
    return 0


def _doc_export(arguments: argparse.Namespace) -> int:
    from app.exports.documents import documents_from_project, export_documents

    with _signed_in(arguments) as project:
        documents = documents_from_project(project)
    problems = export_documents(
        documents,
        arguments.fmt,
        arguments.out,
        study_id=arguments.study_id,
        include_uncertain=arguments.include_uncertain,
    )
    for problem in problems:
        _say(f"problem: {problem}")
    _say(f"{len(documents)} documents exported as {arguments.fmt} to {arguments.out}")
    return 0


def _doc_import_gold(arguments: argparse.Namespace) -> int:
    from app.exports.documents import TEXT_ASSET_KIND
    from app.exports.tac2017 import gold_span_bodies, read_tac2017
    from storage import assets
    from storage.items import add_item
    from storage.labels import current_label_set

    label = read_tac2017(arguments.tac_xml)
    spans = 0
    with _signed_in(arguments) as project:
        label_set = current_label_set(project.records, "document")
        known = {entry.name for entry in label_set.labels}
        missing = sorted({m.type for m in label.mentions} - known)
        for section in label.sections.values():
            data = section.text.encode("utf-8")
            document_hash = hashlib.sha256(data).hexdigest()
            assets.put_asset(project, TEXT_ASSET_KIND, document_hash, data)
            item = add_item(
                project.records,
                "document",
                f"{label.drug} – {section.name}",
                {
                    "tac2017": arguments.tac_xml.name,
                    "section": section.section_id,
                    "document_hash": document_hash,
                },
            )
            for body in gold_span_bodies(
                label,
                section.section_id,
                document_hash=document_hash,
                label_set_version=label_set.version,
            ):
                project.records.create(
                    "span", body, item_id=item.record_id, reason="TAC 2017 gold import"
                )
                spans += 1
    _say(f"{len(label.sections)} sections, {spans} gold spans imported")
    if missing:
        _say(f"labels not in the document label set: {', '.join(missing)}")
    return 0
