"""Commands for terminologies and document annotations: terminology load/search, doc."""

from __future__ import annotations

import argparse
import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from app.commands import add_project_arguments, command_group, open_from_arguments
from app.exports.documents import FORMATS
from storage.errors import ServiceError

if TYPE_CHECKING:
    from app.commands import Subparsers
    from storage.project import Project

logger = logging.getLogger(__name__)


def register(subparsers: Subparsers) -> None:
    """Add ``terminology load|search`` and ``doc export|import-gold`` to ``haiops``.

    Parameters
    ----------
    subparsers
        The sub-parser collection of the ``haiops`` parser.
    """
    actions = command_group(subparsers, "terminology", "MedDRA and other codes")

    load = actions.add_parser("load", help="keep a MedDRA release in a project")
    load.add_argument("folder", type=Path, help="the release's ASCII folder")
    load.add_argument("--meddra-version", help="release version if no version file")
    add_project_arguments(load)
    load.set_defaults(handler=_terminology_load)

    search = actions.add_parser("search", help="search MedDRA LLTs")
    search.add_argument("text", help="English, Japanese or kana")
    search.add_argument("--folder", type=Path, help="a release folder instead")
    search.add_argument("--meddra-version", help="release version if no version file")
    search.add_argument("--limit", type=int, default=20)
    add_project_arguments(search, required=False)
    search.set_defaults(handler=_terminology_search)

    # app/cli_documents.py adds its own actions to the same "doc" command.
    doc_actions = command_group(
        subparsers, "doc", "documents and their span annotations"
    )
    export = doc_actions.add_parser("export", help="export span annotations")
    export.add_argument("out", type=Path, help="output file (folder for brat, conll)")
    export.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
    export.add_argument("--study-id", default="", help="STUDYID for SDTM")
    export.add_argument(
        "--include-uncertain",
        action="store_true",
        help="keep negated and hypothetical mentions in SDTM and FHIR",
    )
    add_project_arguments(export)
    export.set_defaults(handler=_doc_export)

    gold = doc_actions.add_parser(
        "import-gold", help="import a TAC 2017 ADR label as gold-standard spans"
    )
    gold.add_argument("tac_xml", type=Path)
    add_project_arguments(gold)
    gold.set_defaults(handler=_doc_import_gold)


@contextmanager
def _signed_in(arguments: argparse.Namespace) -> Iterator[Project]:
    # A search may run without a project, so --project and --user are optional.
    if arguments.project is None or arguments.user is None:
        raise ServiceError("--project and --user are needed", path="--project")
    with open_from_arguments(arguments) as project:
        yield project


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
