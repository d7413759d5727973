"""Label drift, time per item and overdue items, from revisions made at known times."""

from __future__ import annotations

import io
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from quality_support import LEAD, foreign, run_cli, signed_in
from scipy.stats import chi2, t

from app.quality.drift import (
    item_times,
    label_drift,
    labelled_records,
    time_trends,
)
from app.quality.errors import QualityError
from app.quality.performance import assignee_loads, overdue_items
from app.quality.report import build_report, report_lines
from storage.project import Project

TODAY = date(2026, 11, 20)
ANN_SECONDS = [600, 500, 420, 300, 200]
BOB_SECONDS = [300, 320, 290, 310]


def _span_body(label: str) -> dict[str, Any]:
    return {"label": label, "fragments": [[0, 4]], "text": "", "code": None}


def _item(
    project: Project,
    title: str,
    *,
    assignee: str | None,
    due: str | None,
    statuses: list[tuple[str, str, str]],
) -> str:
    """An item made at its first time, then moved through (status, author, time)."""
    body: dict[str, Any] = {
        "kind": "document",
        "title": title,
        "status": "not_started",
        "assignee": assignee,
        "due": due,
        "source": {},
    }
    first = foreign(
        project, "item", body, author="lee", created_at="2026-11-01T08:00:00+00:00"
    )
    parent = first.revision_id
    for status, author, when in statuses:
        body = {**body, "status": status}
        revision = foreign(
            project,
            "item",
            body,
            author=author,
            created_at=when,
            record_id=first.record_id,
            supersedes=parent,
        )
        parent = revision.revision_id
    return first.record_id


@pytest.fixture
def history(team: Path) -> Path:
    """Two weeks of spans by ann and bob; timed, overdue and pending items."""
    with signed_in(team, LEAD) as project:
        item = _item(project, "span host", assignee=None, due=None, statuses=[])
        weeks = {
            ("ann", "2026-11-03"): ["AE"] * 8 + ["Drug"] * 2,
            ("bob", "2026-11-04"): ["AE"] * 5 + ["Drug"] * 5,
            ("ann", "2026-11-10"): ["AE"] * 1 + ["Drug"] * 9,
            ("bob", "2026-11-11"): ["AE"] * 5 + ["Drug"] * 5,
        }
        for (author, day), labels in weeks.items():
            for n, label in enumerate(labels):
                foreign(
                    project,
                    "span",
                    _span_body(label),
                    author=author,
                    item_id=item,
                    created_at=f"{day}T09:{n:02d}:00+00:00",
                )

        for who, durations in (("ann", ANN_SECONDS), ("bob", BOB_SECONDS)):
            for n, seconds in enumerate(durations):
                start = f"2026-11-{12 + n:02d}T10:00:00+00:00"
                minutes, rest = divmod(seconds, 60)
                end = f"2026-11-{12 + n:02d}T10:{minutes:02d}:{rest:02d}+00:00"
                _item(
                    project,
                    f"{who} timed {n}",
                    assignee=who,
                    due="2026-11-30",
                    statuses=[("in_progress", who, start), ("submitted", who, end)],
                )

        _item(
            project,
            "late form",
            assignee="ann",
            due="2026-11-10",
            statuses=[("in_progress", "ann", "2026-11-05T10:00:00+00:00")],
        )
        _item(project, "future form", assignee="ann", due="2026-11-30", statuses=[])
        _item(
            project,
            "sent back",
            assignee="bob",
            due="2026-11-18T12:00:00+00:00",
            statuses=[
                ("submitted", "bob", "2026-11-06T10:00:00+00:00"),
                ("rejected", "lee", "2026-11-07T10:00:00+00:00"),
            ],
        )
        _item(
            project,
            "delivered",
            assignee="bob",
            due="2026-11-15",
            statuses=[("submitted", "bob", "2026-11-14T10:00:00+00:00")],
        )
    return team


def _hand_chi2(table: np.ndarray) -> tuple[float, float]:
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    statistic = float(((table - expected) ** 2 / expected).sum())
    return statistic, float(
        chi2.sf(statistic, (table.shape[0] - 1) * (table.shape[1] - 1))
    )


def test_a_changed_label_distribution_is_flagged(history: Path) -> None:
    with signed_in(history, LEAD) as project:
        windows = label_drift(labelled_records(project.records), window_days=7)

    cells = {(w.annotator, w.window_start): w for w in windows}
    assert sorted(cells) == [
        ("ann", "2026-11-03"),
        ("ann", "2026-11-10"),
        ("bob", "2026-11-03"),
        ("bob", "2026-11-10"),
    ]
    # Project: AE 19, Drug 21. ann's second week against all the other labels.
    late = cells[("ann", "2026-11-10")]
    statistic, p_value = _hand_chi2(np.array([[1, 9], [18, 12]], float))
    assert late.counts == (("AE", 1), ("Drug", 9))
    assert late.window_end == "2026-11-17"
    assert round(late.chi2 or 0, 3) == round(statistic, 3) == 7.519
    assert round(late.p_value or 0, 4) == round(p_value, 4) == 0.0061
    assert late.dof == 1
    assert late.is_flagged
    early = cells[("ann", "2026-11-03")]
    statistic, p_value = _hand_chi2(np.array([[8, 2], [11, 19]], float))
    assert round(early.chi2 or 0, 3) == round(statistic, 3) == 5.647
    assert round(early.p_value or 0, 4) == round(p_value, 4)
    assert not early.is_flagged
    assert not cells[("bob", "2026-11-10")].is_flagged


def test_time_per_item_and_its_trend(history: Path) -> None:
    with signed_in(history, LEAD) as project:
        times = item_times(project.records)
    trends = {tr.person: tr for tr in time_trends(times)}

    ann = trends["ann"]
    x = np.arange(5.0)
    y = np.array(ANN_SECONDS, float)
    slope, intercept = np.polyfit(x, y, 1)
    residual = y - (slope * x + intercept)
    se = np.sqrt((residual**2).sum() / 3 / ((x - x.mean()) ** 2).sum())
    p_value = 2 * t.sf(abs(slope / se), 3)
    assert ann.items == 5
    assert ann.median_seconds == 420.0
    assert round(ann.slope or 0, 3) == round(float(slope), 3) == -100.000
    assert round(ann.p_value or 0, 4) == round(float(p_value), 4)
    assert ann.is_flagged
    bob = trends["bob"]
    assert (bob.items, bob.median_seconds) == (4, 305.0)
    assert not bob.is_flagged
    # The item sent back and submitted without in_progress has no time.
    assert len(times) == 9


def test_workload_and_overdue_items(history: Path) -> None:
    with signed_in(history, LEAD) as project:
        overdue = overdue_items(project.records, today=TODAY)
        times = item_times(project.records)
        loads = {
            a.assignee: a for a in assignee_loads(project.records, times, today=TODAY)
        }

    assert [(o.title, o.assignee, o.status, o.days_overdue) for o in overdue] == [
        ("late form", "ann", "in_progress", 10),
        ("sent back", "bob", "rejected", 2),
    ]
    ann = loads["ann"]
    assert ann.counts == (("not_started", 1), ("in_progress", 1), ("submitted", 5))
    assert (ann.total, ann.overdue, ann.finished, ann.median_seconds) == (
        7,
        1,
        5,
        420.0,
    )
    bob = loads["bob"]
    assert bob.count("rejected") == 1
    assert bob.count("submitted") == 5
    assert (bob.overdue, bob.median_seconds) == (1, 305.0)
    assert loads[""].count("not_started") == 1


def test_the_whole_report_reads_as_lines(history: Path) -> None:
    with signed_in(history, LEAD) as project:
        report = build_report(project.records, today=TODAY)
    lines = report_lines(report)

    assert lines[0] == "quality report of 2026-11-20 (UTC)"
    assert "  ann\tspan\t2026-11-10..2026-11-17\t10\t0.0061\tFLAG" in lines
    assert "  late form\tann\tin_progress\t2026-11-10\t10" in lines
    assert "  ann\t5\t420.0\t-100.0\t0.0001\tFLAG" in lines


def test_a_bad_due_date_names_the_item(team: Path) -> None:
    with signed_in(team, LEAD) as project:
        item = _item(project, "odd", assignee="ann", due="next Friday", statuses=[])
        with pytest.raises(QualityError, match=item):
            overdue_items(project.records, today=TODAY)
    assert uuid.UUID(item)


def test_cli_report_prints_every_section(
    history: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(LEAD[2] + "\n"))
    argv = ["quality", "report", "--project", str(history), "--user", "lee"]

    status = run_cli([*argv, "--password-stdin", "--window-days", "14"])

    out = capsys.readouterr().out
    sections = [line.split(":")[0] for line in out.splitlines() if line[:1] != " "]
    assert status == 0
    assert sections[1:] == [
        "spans", "ROIs", "pairs", "gold", "side bias", "drift", "time",
        "workload", "overdue",
    ]  # fmt: skip
    # One 14-day window from 2026-11-03 holds both weeks: nothing drifts.
    _, p_value = _hand_chi2(np.array([[9, 11], [10, 10]], float))
    line = f"  ann\tspan\t2026-11-03..2026-11-17\t20\t{p_value:.4f}\t"
    assert line in out.splitlines()
    assert p_value > 0.5
