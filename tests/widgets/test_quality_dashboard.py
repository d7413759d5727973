"""The quality dashboard shows a real project's agreement, bias and workload."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.preference.importing import import_pairs
from app.preference.judgements import Judgement, current_rubrics, save_judgement
from app.preference.pairs import PairSource
from app.preference.sides import side_order
from app.quality import QualityError, build_report
from storage import accounts
from storage.items import add_item, set_item_status
from storage.project import Project, create_project, open_project
from storage.records import RecordStore
from widgets.quality_dashboard import QualityDashboard

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

LEAD = ("lee", "Lee Lead", "lee's long password 4")
ANN = ("ann", "Ann Notator", "ann's long password 1")
BOB = ("bob", "Bob Coder", "bob's long password 2")
CYD = ("cyd", "Cyd Coder", "cyd's long password 3")
TODAY = date(2030, 1, 10)


def _span(label: str, start: int, end: int) -> dict[str, Any]:
    return {"label": label, "fragments": [[start, end]], "text": "", "code": None}


def _judge_left(project: Project, judge: str, item_ids: list[str]) -> None:
    """Prefer the left response on every item (a side bias to flag)."""
    rubrics = current_rubrics(project.records)
    for item_id in item_ids:
        pair = PairSource.from_source(project.records.head(item_id).body["source"])
        ids = [r.response_id for r in pair.responses]
        sides = side_order(pair.item_key, judge, ids)
        judgement = Judgement(
            item_id=item_id,
            positions=sides.positions,
            sides_hmac=sides.sides_hmac,
            verdict="a_better",
            strength="clear",
            seconds=20.0,
        )
        save_judgement(project.records, judgement, judge=judge, rubric_names=rubrics)


@pytest.fixture
def project(
    tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Project]:
    """Spans by two annotators, 12 pairs judged by both, two overdue items."""
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    folder = tmp_path / "project"
    create_project(
        folder, name="Quality", user_id=LEAD[0], printed_name=LEAD[1], password=LEAD[2]
    )
    with open_project(folder, user_id=LEAD[0], password=LEAD[2]) as lead:
        for user_id, name, password in (ANN, BOB, CYD):
            accounts.add_user(
                lead, user_id, name, ["annotator"], password, must_change_password=False
            )
        document = add_item(
            lead.records, "document", "AE form", {}, assignee="ann", due="2030-01-03"
        ).record_id
        add_item(
            lead.records, "series", "Chest CT", {}, assignee="bob", due="2030-01-09"
        )
        add_item(
            lead.records, "series", "Head CT", {}, assignee="bob", due="2030-02-01"
        )
        path = shared_data / "preference" / "hh_rlhf_health_pairs.jsonl"
        pairs = import_pairs(lead.records, path).item_ids[:12]
        lead.records.create(
            "span", {**_span("AE", 0, 5), "gold": True}, item_id=document
        )
    with open_project(folder, user_id=ANN[0], password=ANN[2]) as ann:
        set_item_status(ann.records, document, "in_progress")
        for body in (_span("AE", 0, 5), _span("Drug", 10, 20)):
            ann.records.create("span", body, item_id=document)
        _judge_left(ann, "ann", pairs)
    with open_project(folder, user_id=BOB[0], password=BOB[2]) as bob:
        for body in (_span("AE", 0, 5), _span("AE", 12, 20)):
            bob.records.create("span", body, item_id=document)
        _judge_left(bob, "bob", pairs)
    with open_project(folder, user_id=CYD[0], password=CYD[2]) as cyd:
        cyd.records.create("span", _span("AE", 0, 6), item_id=document)
    with open_project(folder, user_id=LEAD[0], password=LEAD[2]) as opened:
        yield opened


def _build(records: RecordStore) -> Any:
    return build_report(records, today=TODAY)


def test_tables_show_the_report(qtbot, project: Project, tmp_path: Path) -> None:
    dashboard = QualityDashboard(project, build_report=_build)
    qtbot.addWidget(dashboard)
    dashboard.resize(1100, 760)

    dashboard.refresh()

    assert dashboard.status_text() == (
        "Figures as of 2030-01-10 (UTC): 2 flagged, 2 overdue"
    )
    assert dashboard.headers("spans")[:4] == ["A", "B", "Documents", "Exact F1"]
    spans = dashboard.table_text("spans")
    assert spans[0] == [
        "ann", "bob", "1", "0.500", "0.500", "0.500", "0.500", "0.000",
        "0.062", "–", "AE 0.667 (1), Drug 0.000 (0)",
    ]  # fmt: skip
    assert [row[:2] for row in spans[1:3]] == [["ann", "cyd"], ["bob", "cyd"]]
    assert spans[3][0] == "All 3 annotators (Fleiss)"
    assert dashboard.table_text("gold") == [
        [who, "Spans", "1", "0.667", "0.500", "1.000", "0.667", "–", "1.000"]
        for who in ("ann", "bob")
    ] + [["cyd", "Spans", "1", "0.000", "1.000", "1.000", "1.000", "–", "1.000"]]
    (pairs,) = dashboard.table_text("pairs")
    assert pairs[:3] == ["ann", "bob", "12"]
    bias = dashboard.table_text("bias")
    assert [row[:3] for row in bias] == [["ann", "12", "0"], ["bob", "12", "0"]]
    assert [row[4:] for row in bias] == [["0.0005", "Flagged"], ["0.0005", "Flagged"]]
    assert dashboard.table_text("overdue") == [
        ["AE form", "ann", "In progress", "2030-01-03", "7"],
        ["Chest CT", "bob", "Not started", "2030-01-09", "1"],
    ]
    load = {row[0]: row for row in dashboard.table_text("load")}
    assert load["bob"][:3] == ["bob", "2", "2"]
    assert load["bob"][-2:] == ["1", "20.0"]

    assert dashboard.table_text("confusion") == []
    dashboard.select_row("spans", 0)
    assert dashboard.headers("confusion") == ["A \\ B", "AE", "Drug"]
    assert dashboard.table_text("confusion") == [["AE", "1", "0"], ["Drug", "1", "0"]]
    dashboard.select_row("pairs", 0)
    assert dashboard.headers("confusion")[:3] == [
        "A \\ B",
        "First response",
        "Second response",
    ]
    assert len(dashboard.table_text("confusion")) == 5

    dashboard.show()
    qtbot.waitExposed(dashboard)
    shot = tmp_path / "quality.png"
    assert dashboard.grab().save(str(shot))
    assert shot.stat().st_size > 10_000


def test_an_error_is_shown_in_the_header(qtbot, project: Project) -> None:
    def broken(records: RecordStore) -> Any:
        raise QualityError("span x has no item", record="x")

    dashboard = QualityDashboard(
        project,
        build_report=broken,
        describe_error=lambda e: ("The figures cannot be computed.", "Ask the lead."),
    )
    qtbot.addWidget(dashboard)

    dashboard.refresh()

    assert dashboard.status_text() == "The figures cannot be computed. Ask the lead."
    assert dashboard.table_text("spans") == []
