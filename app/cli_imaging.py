"""``haiops inspect``: what a folder or DICOMDIR holds, series by series."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from viewers.imaging.series import LeftOut, SeriesInfo

__all__ = ["inspect_json", "register"]


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Add the ``inspect`` command to the ``haiops`` parser.

    Parameters
    ----------
    subparsers
        The parser's sub-command collection.
    """
    parser = subparsers.add_parser(
        "inspect",
        help="list the DICOM series in a folder or DICOMDIR, with their geometry",
        description=(
            "Read the headers of the DICOM files under PATH and list each series: "
            "size, pixel spacing, spacing along the slice normal, tilt and the "
            "files left out. Patient names and IDs are never printed."
        ),
    )
    parser.add_argument("path", type=Path, metavar="PATH")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=_run_inspect)


def inspect_json(path: Path | str) -> dict[str, Any]:
    """Describe the series under a folder, DICOMDIR or file, as JSON-ready data.

    Parameters
    ----------
    path
        A folder (searched recursively), a DICOMDIR or a DICOM file.

    Returns
    -------
    dict
        ``{"path", "series": [...], "left_out": [...]}``. Each series holds
        its SeriesInstanceUID, modality, rows, columns, slice count, pixel
        spacing (row, column) in mm, spacing along the normal (min, max) in
        mm, the largest gap's two files, geometric and recorded tilt in
        degrees and the orientation (six LPS direction cosines). Paths are
        relative to ``path``. No patient name or ID is included.
    """
    # Imported here: pydicom and numpy are not needed to register the command.
    from viewers.imaging.series import scan

    root = Path(path)
    result = scan(root)
    base = root if root.is_dir() else root.parent
    return {
        "path": str(root),
        "series": [_series_json(info, base) for info in result.series],
        "left_out": [_left_out_json(item, base) for item in result.left_out],
    }


def _series_json(info: SeriesInfo, base: Path) -> dict[str, Any]:
    """One series as JSON-ready data."""
    gap = info.largest_gap
    return {
        "series_instance_uid": info.series_instance_uid,
        "part": info.part,
        "modality": info.modality,
        "description": info.description,
        "rows": info.rows,
        "columns": info.columns,
        "slice_count": info.slice_count,
        "pixel_spacing_mm": (
            list(info.pixel_spacing_mm) if info.has_pixel_spacing else None
        ),
        "spacing_along_normal_mm": {
            "min": info.spacing_min_mm,
            "max": info.spacing_max_mm,
        },
        "largest_gap_files": None if gap is None else [_relative(p, base) for p in gap],
        "geometric_tilt_deg": round(info.geometric_tilt_deg, 6),
        "recorded_tilt_deg": info.recorded_tilt_deg,
        "orientation": list(info.orientation),
        "has_geometry": info.has_geometry,
    }


def _left_out_json(item: LeftOut, base: Path) -> dict[str, str]:
    """One left-out file as JSON-ready data."""
    return {"path": _relative(item.path, base), "reason": item.reason}


def _relative(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` where possible, with forward slashes."""
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def _run_inspect(arguments: argparse.Namespace) -> int:
    """Print what ``inspect_json`` found, as JSON or as text."""
    report = inspect_json(arguments.path)
    if arguments.json:
        json.dump(report, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0

    lines = []
    for series in report["series"]:
        spacing = series["spacing_along_normal_mm"]
        along = (
            "-"
            if spacing["min"] is None
            else f"{spacing['min']:.3f}..{spacing['max']:.3f} mm"
        )
        recorded = series["recorded_tilt_deg"]
        pixel = series["pixel_spacing_mm"]
        lines.append(
            f"{series['series_instance_uid']}"
            + (f" part {series['part']}" if series["part"] else "")
            + f"  {series['modality']}  {series['rows']}x{series['columns']}"
            + f"  {series['slice_count']} slices"
            + (
                f"  pixel {pixel[0]:g} x {pixel[1]:g} mm"
                if pixel
                else "  pixel spacing unknown (no mm)"
            )
            + f"  along normal {along}"
            + f"  tilt {series['geometric_tilt_deg']:.2f} deg"
            + ("" if recorded is None else f" (recorded {recorded:g})")
        )
        if series["largest_gap_files"]:
            lines.append(
                "  largest gap between " + " and ".join(series["largest_gap_files"])
            )
    for item in report["left_out"]:
        lines.append(f"left out: {item['path']}: {item['reason']}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
