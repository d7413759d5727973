"""``haiops quality``: inter-annotator agreement, quality report, kappa of a table."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from app.commands import add_project_arguments, command_group, open_from_arguments

if TYPE_CHECKING:
    from app.commands import Subparsers

__all__ = ["register"]

# The kappa weightings of app.quality.agreement.WEIGHTS, repeated here so that
# registering the command does not import scikit-learn (tests check they agree).
WEIGHTS = ("linear", "quadratic")


def register(subparsers: Subparsers) -> None:
    """Add ``quality agreement``, ``quality report`` and ``quality kappa``.

    Parameters
    ----------
    subparsers
        The parser's sub-command collection.
    """
    commands = command_group(
        subparsers,
        "quality",
        "agreement between annotators, gold scores, drift, workload",
        metavar="COMMAND",
    )

    agreement = commands.add_parser(
        "agreement",
        help="agreement between annotators on spans, ROIs and preference pairs",
        description=(
            "For every two annotators: span F1 (exact and overlapping) with "
            "label and character kappa, ROI detection F1 with mean Dice per "
            "label and label kappa, and Cohen's kappa of pair verdicts "
            "(Fleiss' kappa for three or more judges)."
        ),
    )
    add_project_arguments(agreement)
    agreement.set_defaults(handler=_run_agreement)

    report = commands.add_parser(
        "report",
        help="agreement, gold scores, side bias, label drift, time and workload",
    )
    add_project_arguments(report)
    report.add_argument(
        "--window-days",
        type=int,
        default=7,
        metavar="DAYS",
        help="width of the label drift windows (default 7)",
    )
    report.set_defaults(handler=_run_report)

    kappa = commands.add_parser(
        "kappa",
        help="Cohen's kappa of two rater columns of a CSV table",
        description=(
            "Read CSV (UTF-8, header row) and compare the ratings in columns "
            "COL A and COL B: counts, percent agreement, kappa and the "
            "confusion matrix (rows rater A, columns rater B)."
        ),
    )
    kappa.add_argument("csv", type=Path, metavar="CSV")
    kappa.add_argument("--rater-a", required=True, metavar="COL")
    kappa.add_argument("--rater-b", required=True, metavar="COL")
    kappa.add_argument(
        "--weights",
        choices=WEIGHTS,
        default=None,
        help="weighted kappa for an ordinal scale",
    )
    kappa.add_argument(
        "--order",
        metavar="CATS",
        default=None,
        help="the scale's categories in order, comma-separated "
        "(default: numeric or alphabetical order)",
    )
    kappa.set_defaults(handler=_run_kappa)


def _print(lines: list[str]) -> None:
    for line in lines:
        print(line)  # noqa: T201 -- the CLI's output


def _run_agreement(arguments: argparse.Namespace) -> int:
    from app.quality.report import agreement_lines, build_report

    with open_from_arguments(arguments) as project:
        report = build_report(project.records)
    _print(agreement_lines(report))
    return 0


def _run_report(arguments: argparse.Namespace) -> int:
    from app.quality.report import build_report, report_lines

    with open_from_arguments(arguments) as project:
        report = build_report(project.records, window_days=arguments.window_days)
    _print(report_lines(report))
    return 0


def _run_kappa(arguments: argparse.Namespace) -> int:
    from app.quality.agreement import cohen_kappa, ratings_from_csv
    from app.quality.report import number

    a, b = ratings_from_csv(arguments.csv, arguments.rater_a, arguments.rater_b)
    order = None
    if arguments.order:
        order = [c.strip() for c in arguments.order.split(",") if c.strip()]
    result = cohen_kappa(a, b, categories=order, weights=arguments.weights)
    kind = f"{arguments.weights} weighted kappa" if arguments.weights else "kappa"
    lines = [
        f"items\t{result.n_items}",
        f"agreement\t{number(result.percent_agreement, 1)}%",
        f"chance agreement\t{number(100 * result.expected, 1)}%",
        f"{kind}\t{number(result.kappa)}",
        f"{arguments.rater_a} \\ {arguments.rater_b}\t" + "\t".join(result.categories),
    ]
    lines += [
        f"{category}\t" + "\t".join(str(n) for n in row)
        for category, row in zip(result.categories, result.confusion, strict=True)
    ]
    _print(lines)
    return 0
