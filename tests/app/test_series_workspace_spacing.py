"""Without PixelSpacing the workspace and slice view say "no mm", never pixels as mm."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pydicom.data import get_testdata_file
from pytestqt.qtbot import QtBot

from app.series_workspace import (
    _shape_of,
    measurements_text,
    roi_body,
    series_source,
)
from storage.records import Revision
from viewers.imaging.series import scan
from viewers.imaging.volume import Volume, load_volume
from viewers.slice_view import SliceView


def _vlut_04() -> Volume:
    # pydicom's vlut_04.dcm has no PixelSpacing and no ImagerPixelSpacing.
    return load_volume(scan(Path(get_testdata_file("vlut_04.dcm"))).series[0])


def test_ruler_body_and_text_say_no_mm() -> None:
    body = roi_body(
        _vlut_04(),
        kind="ruler",
        label="note",
        label_set_version=1,
        slice_index=0,
        points=[(0.0, 0.0), (256.0, 0.0)],
    )

    assert body["length_mm"] is None
    assert measurements_text(body) == "no mm: the files give no pixel spacing"


def test_area_body_and_text_say_no_mm() -> None:
    volume = _vlut_04()
    body = roi_body(
        volume,
        kind="rectangle",
        label="note",
        label_set_version=1,
        slice_index=0,
        points=[(100.0, 200.0), (160.0, 240.0)],
    )

    stats = body["statistics"]
    assert stats["area_mm2"] is None
    assert stats["pixel_count"] == 61 * 41
    assert measurements_text(body).startswith("no mm, mean ")


def test_slice_view_overlay_says_spacing_unknown(qtbot: QtBot) -> None:
    view = SliceView()
    qtbot.addWidget(view)
    view.resize(400, 400)
    view.show()
    view.set_volume(_vlut_04())

    assert "Pixel spacing unknown: no mm" in view.overlay_text()["top_left"]


def test_ruler_caption_on_the_image_says_no_mm() -> None:
    body = roi_body(
        _vlut_04(),
        kind="ruler",
        label="note",
        label_set_version=1,
        slice_index=0,
        points=[(0.0, 0.0), (256.0, 0.0)],
    )
    revision = Revision(
        revision_id="r1",
        record_id="roi1",
        record_type="roi",
        item_id="item1",
        supersedes=None,
        author="rad1",
        workstation_id="ws1",
        created_at="2026-12-03T18:00:00+00:00",
        reason=None,
        is_deleted=False,
        body=body,
    )

    assert _shape_of(revision).caption == "no mm"


def test_series_item_source_records_no_spacing_as_null() -> None:
    path = Path(get_testdata_file("vlut_04.dcm"))
    series = scan(path).series[0]

    source = series_source(series)

    assert source["pixel_spacing_mm"] is None
