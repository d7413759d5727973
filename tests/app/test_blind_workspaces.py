"""Blind double annotation on screen: series, document and pair workspaces."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pytestqt.qtbot import QtBot

from app.cli_documents import import_document
from app.document_workspace import DocumentItemView, span_body
from app.item_views import ItemContext, ItemView, ItemViewFactory
from app.pair_workspace import PairItemView
from app.preference.importing import import_pairs
from app.preference.judgements import Judgement, current_rubrics, save_judgement
from app.preference.pairs import PairSource
from app.preference.sides import side_order
from app.series_workspace import (
    SeriesItemView,
    add_series_item,
    load_series_volume,
    roi_body,
)
from app.tasks import TaskRunner
from app.workflow import (
    LEFT,
    Choice,
    adjudicate_item,
    assign_item,
    blind_items,
    compare_item,
    start_work,
    submit_work,
)
from storage import accounts
from storage.labels import Label, save_label_set
from storage.project import Project, create_project, open_project
from viewers.documents.model import open_document
from viewers.imaging.series import scan

LEAD = ("lee", "Lee Lead", "lee's long password 4")
ANN = ("ann", "Ann Notator", "ann's long password 1")
BOB = ("bob", "Bob Reader", "bob's long password 2")
REV = ("rev", "Rita Reviewer", "rev's long password 3")
CYD = ("cyd", "Cyd Judge", "cyd's long password 5")

Who = tuple[str, str, str]


def signed_in(folder: Path, who: Who) -> Project:
    """Open the project as ``who``; the caller closes it (use ``with``)."""
    return open_project(folder, user_id=who[0], password=who[2])


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project of the site lead lee: annotators ann, bob and cyd, reviewer rev."""
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    folder = tmp_path / "project"
    create_project(
        folder, name="Blind", user_id=LEAD[0], printed_name=LEAD[1], password=LEAD[2]
    )
    with signed_in(folder, LEAD) as project:
        for (user_id, name, password), roles in (
            (ANN, ["annotator"]),
            (BOB, ["annotator"]),
            (CYD, ["annotator"]),
            (REV, ["reviewer"]),
        ):
            accounts.add_user(
                project, user_id, name, roles, password, must_change_password=False
            )
        save_label_set(
            project.records, "image", [Label("nodule", "#ff5a36", "1", "Nodule")]
        )
        save_label_set(
            project.records,
            "document",
            [Label("adverse_event", "#e4572e", "1", "Adverse event")],
        )
    return folder


@contextmanager
def item_view(
    qtbot: QtBot, folder: Path, who: Who, item_id: str, factory: ItemViewFactory
) -> Iterator[ItemView]:
    """Open the item as ``who`` in its workspace; close both afterwards."""
    with signed_in(folder, who) as project:
        context = ItemContext(project, project.records.head(item_id), TaskRunner())
        view = factory(context)
        qtbot.addWidget(view)
        view.resize(900, 800)
        view.show()
        loaded = getattr(view, "is_loaded", None)
        if loaded is not None:
            qtbot.waitUntil(loaded, timeout=60_000)
        try:
            yield view
        finally:
            view.close_item()
            view.close()


def _submit(folder: Path, item_id: str, *people: Who) -> None:
    for who in people:
        with signed_in(folder, who) as project:
            submit_work(project, item_id)


# -- series --------------------------------------------------------------------


def _draw(folder: Path, who: Who, item_id: str, slice_index: int, corner: int) -> None:
    """Draw one 20 x 20 pixel nodule rectangle from (corner, corner)."""
    with signed_in(folder, who) as project:
        start_work(project, item_id)
        volume = load_series_volume(project.records.head(item_id))
        body = roi_body(
            volume,
            kind="rectangle",
            label="nodule",
            label_set_version=1,
            slice_index=slice_index,
            points=[[corner, corner], [corner + 19, corner + 19]],
        )
        project.records.create("roi", body, item_id=item_id)


@pytest.fixture
def series_item(team: Path, dicom_data: Path) -> str:
    """The 5 mm Philips CT for ann and bob; ann on slice 10, bob on slice 12."""
    series = scan(dicom_data / "ct_philips_5mm_28").series[0]
    with signed_in(team, LEAD) as project:
        item_id = add_series_item(project, series).record_id
        assign_item(project, item_id, ["ann", "bob"], due="2026-12-10")
    _draw(team, ANN, item_id, 10, 100)
    _draw(team, BOB, item_id, 12, 200)
    return item_id


def _roi_lines(view: ItemView) -> list[list[str]]:
    assert isinstance(view, SeriesItemView)
    return [row[:3] for row in view.roi_panel.rows_text()]


def test_an_annotator_does_not_see_the_other_annotators_rois(
    qtbot: QtBot, team: Path, series_item: str
) -> None:
    with item_view(qtbot, team, BOB, series_item, SeriesItemView) as view:
        assert isinstance(view, SeriesItemView)
        lines = _roi_lines(view)
        shapes = [(s.slice_index, s.caption) for s in view.slice_view.rois()]
    assert lines == [["nodule", "13", "Rectangle"]]
    assert shapes == [(12, "")]

    # ann submitted, bob not yet: ann is still blind.
    _submit(team, series_item, ANN)
    with item_view(qtbot, team, ANN, series_item, SeriesItemView) as view:
        assert _roi_lines(view) == [["nodule", "11", "Rectangle"]]


def test_after_both_submit_the_reviewer_sees_both_sides_by_author(
    qtbot: QtBot, team: Path, series_item: str
) -> None:
    # Before both submitted, the reviewer already sees both sides.
    with item_view(qtbot, team, REV, series_item, SeriesItemView) as view:
        assert len(_roi_lines(view)) == 2
    _submit(team, series_item, ANN, BOB)

    with item_view(qtbot, team, REV, series_item, SeriesItemView) as view:
        assert isinstance(view, SeriesItemView)
        lines = _roi_lines(view)
        captions = sorted(s.caption for s in view.slice_view.rois())
    with item_view(qtbot, team, BOB, series_item, SeriesItemView) as view:
        bob_lines = _roi_lines(view)

    assert lines == [
        ["nodule · ann", "11", "Rectangle"],
        ["nodule · bob", "13", "Rectangle"],
    ]
    assert captions == ["ann", "bob"]
    assert bob_lines == lines  # both submitted: no longer blind


def test_the_adjudicated_roi_shows_as_adjudicated(
    qtbot: QtBot, team: Path, series_item: str
) -> None:
    _submit(team, series_item, ANN, BOB)
    with signed_in(team, REV) as project:
        comparison = compare_item(project, series_item)
        # ann's lone ROI kept; bob's lone ROI left out (its left side is none).
        adjudicate_item(
            project,
            comparison,
            {0: Choice(LEFT), 1: Choice(LEFT)},
            reason="slice 13 holds no nodule",
            password=REV[2],
            user_id="rev",
        )

    with item_view(qtbot, team, LEAD, series_item, SeriesItemView) as view:
        assert isinstance(view, SeriesItemView)
        lines = _roi_lines(view)
        captions = sorted(s.caption for s in view.slice_view.rois())

    assert lines == [
        ["nodule · ann", "11", "Rectangle"],
        ["nodule · adjudicated by rev", "11", "Rectangle"],
        ["nodule · bob", "13", "Rectangle"],
    ]
    assert captions == ["adjudicated by rev", "ann", "bob"]


def test_one_annotator_items_show_as_before(
    qtbot: QtBot, team: Path, dicom_data: Path
) -> None:
    series = scan(dicom_data / "ct_philips_5mm_28").series[0]
    with signed_in(team, LEAD) as project:
        item_id = add_series_item(project, series).record_id
        assign_item(project, item_id, ["ann"])
    _draw(team, ANN, item_id, 10, 100)

    with item_view(qtbot, team, REV, item_id, SeriesItemView) as view:
        assert _roi_lines(view) == [["nodule", "11", "Rectangle"]]
    with item_view(qtbot, team, BOB, item_id, SeriesItemView) as view:
        assert _roi_lines(view) == [["nodule", "11", "Rectangle"]]


# -- documents ------------------------------------------------------------------


AE_FORM = "documents/AdverseEvent_aCRF.pdf"


def _span(folder: Path, who: Who, item_id: str, path: Path, term: str) -> None:
    document = open_document(path)
    try:
        start = document.text.index(term)
        body = span_body(
            document,
            label="adverse_event",
            label_set_version=1,
            fragments=[(start, start + len(term))],
        )
    finally:
        document.close()
    with signed_in(folder, who) as project:
        start_work(project, item_id)
        project.records.create("span", body, item_id=item_id)


@pytest.fixture
def document_item(team: Path, shared_data: Path) -> str:
    """The CDISC AE form for ann and bob, each spanning another severity."""
    path = shared_data / AE_FORM
    with signed_in(team, LEAD) as project:
        item_id = import_document(project, path).record_id
        assign_item(project, item_id, ["ann", "bob"])
    _span(team, ANN, item_id, path, "Severe Adverse Event")
    _span(team, BOB, item_id, path, "Moderate Adverse Event")
    return item_id


def _span_lines(view: ItemView) -> list[tuple[str, str]]:
    assert isinstance(view, DocumentItemView)
    return [(row.label, row.text) for row in view.panel.rows()]


def test_spans_are_blind_until_both_submit_then_labelled_by_author(
    qtbot: QtBot, team: Path, document_item: str
) -> None:
    with item_view(qtbot, team, BOB, document_item, DocumentItemView) as view:
        blind = _span_lines(view)
    with signed_in(team, BOB) as project:
        hidden_from_bob = blind_items(project)
    _submit(team, document_item, ANN, BOB)
    with item_view(qtbot, team, REV, document_item, DocumentItemView) as view:
        reviewed = _span_lines(view)
    with signed_in(team, BOB) as project:
        hidden_after = blind_items(project)

    assert blind == [("adverse_event", "Moderate Adverse Event")]
    assert hidden_from_bob == {document_item}
    assert reviewed == [
        ("adverse_event · bob", "Moderate Adverse Event"),
        ("adverse_event · ann", "Severe Adverse Event"),
    ]
    assert hidden_after == frozenset()


# -- pairs --------------------------------------------------------------------------


def _judge(folder: Path, who: Who, item_id: str, better: int, why: str) -> None:
    """Prefer the response at ``better`` (0 or 1, as imported), clearly."""
    with signed_in(folder, who) as project:
        start_work(project, item_id)
        pair = PairSource.from_source(project.records.head(item_id).body["source"])
        ids = [r.response_id for r in pair.responses]
        sides = side_order(pair.item_key, who[0], ids)
        verdict = "a_better" if sides.positions[0] == ids[better] else "b_better"
        save_judgement(
            project.records,
            Judgement(
                item_id=item_id,
                positions=sides.positions,
                sides_hmac=sides.sides_hmac,
                verdict=verdict,
                strength="clear",
                rationale=why,
                seconds=20.0,
            ),
            judge=who[0],
            rubric_names=current_rubrics(project.records),
        )


@pytest.fixture
def pair_item(team: Path, shared_data: Path) -> str:
    """The first health pair for ann and bob: ann prefers the first, bob the second."""
    path = shared_data / "preference" / "hh_rlhf_health_pairs.jsonl"
    with signed_in(team, LEAD) as project:
        item_id = import_pairs(project.records, path).item_ids[0]
        assign_item(project, item_id, ["ann", "bob"])
    _judge(team, ANN, item_id, 0, "the first is safer")
    _judge(team, BOB, item_id, 1, "the second is complete")
    return item_id


def _judgement_lines(view: ItemView) -> list[list[str]]:
    assert isinstance(view, PairItemView)
    return view.workspace.judgement_rows()


def _letter(folder: Path, who: Who, item_id: str, index: int) -> str:
    """The letter (A left, B right) ``who`` sees the imported response at."""
    with signed_in(folder, LEAD) as project:
        pair = PairSource.from_source(project.records.head(item_id).body["source"])
    ids = [r.response_id for r in pair.responses]
    positions = side_order(pair.item_key, who[0], ids).positions
    return "AB"[list(positions).index(ids[index])]


def test_a_judge_sees_only_their_own_judgement_until_both_submit(
    qtbot: QtBot, team: Path, pair_item: str
) -> None:
    with item_view(qtbot, team, BOB, pair_item, PairItemView) as view:
        assert isinstance(view, PairItemView)
        bob_lines = _judgement_lines(view)
        previous = view.workspace.queue.judgement(view.workspace.index)
    with item_view(qtbot, team, CYD, pair_item, PairItemView) as view:
        cyd_lines = _judgement_lines(view)
    with item_view(qtbot, team, REV, pair_item, PairItemView) as view:
        assert len(_judgement_lines(view)) == 2  # reviewers see both at once

    _submit(team, pair_item, ANN, BOB)
    with item_view(qtbot, team, REV, pair_item, PairItemView) as view:
        rev_lines = _judgement_lines(view)
    with item_view(qtbot, team, CYD, pair_item, PairItemView) as view:
        cyd_after = _judgement_lines(view)

    assert bob_lines == []  # the panel holds bob's own; ann's stays hidden
    assert previous is not None
    assert previous.author == "bob"
    assert cyd_lines == []  # not an annotator of the item, not a reviewer
    first = _letter(team, REV, pair_item, 0)
    second = _letter(team, REV, pair_item, 1)
    assert rev_lines == [
        ["ann", f"{first} better", "Clear", "the first is safer"],
        ["bob", f"{second} better", "Clear", "the second is complete"],
    ]
    assert cyd_after == []
