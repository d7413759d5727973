"""``haiops series``: list series items and export their ROIs as DICOM SEG or SR."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from app.commands import add_project_arguments, command_group, open_from_arguments

if TYPE_CHECKING:
    from app.commands import Subparsers

__all__ = ["register"]


def register(subparsers: Subparsers) -> None:
    """Add ``series list`` and ``series export`` to the ``haiops`` parser.

    Parameters
    ----------
    subparsers
        The parser's sub-command collection.
    """
    actions = command_group(subparsers, "series", "DICOM series items and their ROIs")

    listing = actions.add_parser(
        "list",
        help="list the series items: ID, status, ROIs by kind, title",
        description=(
            "Print one line per series item: its item ID, status, the number of "
            "live ROIs of each kind and its title (modality, series number and "
            "description; never patient data)."
        ),
    )
    add_project_arguments(listing)
    listing.set_defaults(handler=_run_list)

    export = actions.add_parser(
        "export",
        help="write a series item's ROIs as a DICOM SEG or TID 1500 SR",
        description=(
            "seg writes the area ROIs (rectangle, ellipse, polygon, freehand) as a "
            "binary DICOM Segmentation, one segment per label; sr writes rulers "
            "(length in mm) and area ROIs (area, mean, SD, min, max) as a TID 1500 "
            "Measurement Report. The file goes into the folder OUT; the export "
            "is recorded in the audit trail."
        ),
    )
    export.add_argument("out", type=Path, metavar="OUT", help="output folder")
    export.add_argument("--format", required=True, choices=("seg", "sr"), dest="fmt")
    export.add_argument("--item", required=True, metavar="ITEM_ID", help="item ID")
    export.add_argument(
        "--author",
        metavar="USER_ID",
        help="export this annotator's ROIs (needed when several drew on the item)",
    )
    add_project_arguments(export)
    export.set_defaults(handler=_run_export)


def _run_list(arguments: argparse.Namespace) -> int:
    from storage.items import list_items

    with open_from_arguments(arguments) as project:
        lines = []
        for item in list_items(project.records, "series"):
            kinds = Counter(
                str(r.body.get("kind"))
                for r in project.records.current("roi", item_id=item.record_id)
            )
            rois = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
            lines.append(
                f"{item.record_id}  {item.body.get('status')}  "
                f"[{rois or 'no ROIs'}]  {item.body.get('title')}"
            )
    sys.stdout.write("".join(f"{line}\n" for line in lines))
    return 0


def _run_export(arguments: argparse.Namespace) -> int:
    from app.exports.dicom_seg import ExportResult, export_dicom_seg
    from app.exports.dicom_sr import export_dicom_sr

    with open_from_arguments(arguments) as project:
        export = export_dicom_seg if arguments.fmt == "seg" else export_dicom_sr
        result: ExportResult = export(
            project, arguments.item, arguments.out, author=arguments.author
        )
    sys.stdout.write(
        f"wrote {result.path} ({len(result.roi_record_ids)} ROIs; labels "
        f"{', '.join(result.labels)}; SOP Instance UID {result.sop_instance_uid})\n"
    )
    return 0
