"""``haiops pairs``: import preference pairs and export the judgements."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.commands import add_project_arguments, command_group, open_from_arguments
from app.exports.preference import export_full, export_parquet, export_trl
from app.preference.importing import import_pairs
from app.preference.queue import judge_summaries

if TYPE_CHECKING:
    from app.commands import Subparsers

__all__ = ["register"]


def register(subparsers: Subparsers) -> None:
    """Add ``pairs import`` and ``pairs export`` to the ``haiops`` parser.

    Parameters
    ----------
    subparsers
        The parser's sub-command collection.
    """
    commands = command_group(
        subparsers,
        "pairs",
        "import preference pairs, export judgements",
        metavar="COMMAND",
    )

    importing = commands.add_parser(
        "import",
        help="import a JSONL file of pairs or response sets as worklist items",
        description=(
            "Read FILE (explicit prompt/chosen/rejected, prompt with a list of "
            "responses, conversational messages, or whole Human/Assistant "
            "dialogues) and add one worklist item per line. Bad lines are "
            "listed with their line number; the others are imported."
        ),
    )
    importing.add_argument("file", type=Path, metavar="FILE")
    importing.add_argument(
        "--gold",
        action="store_true",
        help="mark the pairs as gold items whose answer is the 'chosen' response",
    )
    add_project_arguments(importing)
    importing.set_defaults(handler=_run_import)

    exporting = commands.add_parser(
        "export",
        help="export the judgements as TRL JSONL, full JSONL or Parquet",
        description=(
            "trl writes prompt/chosen/rejected/margin rows to OUT and ties, "
            "both-bad and cannot-judge verdicts to OUT.no_preference.jsonl; "
            "full writes every field of every judgement; parquet the same as "
            "a table."
        ),
    )
    exporting.add_argument("out", type=Path, metavar="OUT")
    exporting.add_argument(
        "--format", choices=("trl", "full", "parquet"), default="trl"
    )
    exporting.add_argument(
        "--conversational",
        action="store_true",
        help="trl: write prompt, chosen and rejected as lists of messages",
    )
    add_project_arguments(exporting)
    exporting.set_defaults(handler=_run_export)

    reporting = commands.add_parser(
        "report",
        help="per judge: items judged, gold agreement, side preferred, alerts",
    )
    add_project_arguments(reporting)
    reporting.set_defaults(handler=_run_report)


def _run_import(arguments: argparse.Namespace) -> int:
    with open_from_arguments(arguments) as project:
        report = import_pairs(project.records, arguments.file, is_gold=arguments.gold)
    shapes = ", ".join(f"{n} {shape}" for shape, n in sorted(report.shapes.items()))
    print(f"imported {len(report.item_ids)} items from {arguments.file} ({shapes})")  # noqa: T201 -- the CLI's output
    for problem in report.problems:
        print(f"  line {problem.fields['line']}: {problem.detail}", file=sys.stderr)  # noqa: T201
    return 1 if report.problems else 0


def _run_export(arguments: argparse.Namespace) -> int:
    with open_from_arguments(arguments) as project:
        if arguments.format == "trl":
            report = export_trl(
                project.records,
                arguments.out,
                is_conversational=arguments.conversational,
            )
        elif arguments.format == "full":
            report = export_full(project.records, arguments.out)
        else:
            report = export_parquet(project.records, arguments.out)
    written = ", ".join(str(path) for path in report.paths)
    print(  # noqa: T201 -- the CLI's output
        f"exported {report.judgements} judgements "
        f"({report.preference_rows} preference rows, "
        f"{report.no_preference_rows} without preference) to {written}"
    )
    return 0


def _run_report(arguments: argparse.Namespace) -> int:
    with open_from_arguments(arguments) as project:
        summaries = judge_summaries(project.records)
    print("judge\tjudged\tgold agreed\tleft/right/none\tunsafe alerts\tminutes")  # noqa: T201 -- the CLI's output
    for s in summaries:
        gold = f"{s.gold.agreed}/{s.gold.judged}"
        sides = f"{s.sides.left}/{s.sides.right}/{s.sides.no_preference}"
        print(  # noqa: T201 -- the CLI's output
            f"{s.judge}\t{s.judged}\t{gold}\t{sides}\t{s.unsafe_alerts}\t"
            f"{s.seconds / 60:.1f}"
        )
    return 0
