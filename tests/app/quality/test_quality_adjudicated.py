"""Adjudicated records are the consensus: not the adjudicator's rating, a reference."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from quality_support import ANN, BOB, LEAD, signed_in

from app.preference.importing import import_pairs
from app.preference.judgements import Judgement, current_rubrics, save_judgement
from app.preference.pairs import PairSource
from app.preference.sides import side_order
from app.quality.drift import labelled_records
from app.quality.preference import (
    judge_adjudicated_scores,
    judge_biases,
    preference_agreement,
    verdicts_of,
)
from app.quality.report import build_report, report_lines
from app.quality.rois import roi_adjudicated_scores, roi_agreements, rois_of
from app.quality.spans import span_adjudicated_scores, span_agreements, spans_of
from app.workflow import (
    LEFT,
    RIGHT,
    Choice,
    adjudicate_item,
    assign_item,
    compare_item,
    start_work,
    submit_work,
)
from storage.items import add_item
from storage.project import Project

Who = tuple[str, str, str]


def _roi(label: str, slice_index: int, corners: list[list[int]]) -> dict[str, Any]:
    return {
        "kind": "rectangle",
        "label": label,
        "label_set_version": 1,
        "series_instance_uid": "1.2.3",
        "sop_instance_uid": f"1.2.3.{slice_index}",
        "slice_index": slice_index,
        "points_image": corners,
        "points_patient_mm": [],
        "statistics": None,
        "length_mm": None,
    }


def _span(label: str, start: int, end: int) -> dict[str, Any]:
    return {
        "document_hash": "0" * 64,
        "label": label,
        "label_set_version": 1,
        "fragments": [[start, end]],
        "text": "",
        "attributes": {},
        "code": None,
    }


def _work(folder: Path, who: Who, item_id: str, make: Callable[[Project], Any]) -> None:
    """Annotate the item as ``who`` and submit it."""
    with signed_in(folder, who) as project:
        start_work(project, item_id)
        make(project)
        submit_work(project, item_id)


def _create(item_id: str, record_type: str, bodies: list[dict[str, Any]]) -> Any:
    def make(project: Project) -> None:
        for body in bodies:
            project.records.create(record_type, body, item_id=item_id)

    return make


def _judge(item_id: str, judge: str, better: int) -> Any:
    """Prefer the response at ``better`` (0 or 1, as imported), clearly."""

    def make(project: Project) -> None:
        pair = PairSource.from_source(project.records.head(item_id).body["source"])
        ids = [r.response_id for r in pair.responses]
        sides = side_order(pair.item_key, judge, ids)
        verdict = "a_better" if sides.positions[0] == ids[better] else "b_better"
        save_judgement(
            project.records,
            Judgement(
                item_id=item_id,
                positions=sides.positions,
                sides_hmac=sides.sides_hmac,
                verdict=verdict,
                strength="clear",
                seconds=30.0,
            ),
            judge=judge,
            rubric_names=current_rubrics(project.records),
        )

    return make


def _adjudicate(folder: Path, item_id: str, sides: list[str]) -> int:
    """Adjudicate as the site lead; return how many records it wrote."""
    with signed_in(folder, LEAD) as project:
        comparison = compare_item(project, item_id)
        assert len(comparison.differences) == len(sides)
        result = adjudicate_item(
            project,
            comparison,
            {i: Choice(side) for i, side in enumerate(sides)},
            reason="second reading",
            password=LEAD[2],
            user_id="lee",
        )
    return len(result.records)


@pytest.fixture
def adjudicated(team: Path, shared_data: Path) -> Path:
    """A series, a document and a pair, each annotated by ann and bob, adjudicated.

    Series (64 x 64): ann's nodule on slice 3 (100 pixels) and cyst on slice
    5; bob's nodule on slice 3 shifted by 2 columns (80 shared) and nodule on
    slice 5 (the top half of ann's cyst). lee keeps ann's slice 3 and bob's
    slice 5. Document: both AE at 0-5; Drug 10-20 (ann) or 12-20 (bob): lee
    keeps bob's. Pair: ann prefers the first response, bob the second: lee
    keeps bob's.
    """
    source = {"series_instance_uid": "1.2.3", "rows": 64, "columns": 64, "files": []}
    with signed_in(team, LEAD) as project:
        series = add_item(project.records, "series", "Chest CT", source).record_id
        document = add_item(
            project.records, "document", "AE form", {"document_hash": "0" * 64}
        ).record_id
        path = shared_data / "preference" / "hh_rlhf_health_pairs.jsonl"
        pair = import_pairs(project.records, path).item_ids[0]
        for item_id in (series, document, pair):
            assign_item(project, item_id, ["ann", "bob"])

    _work(
        team,
        ANN,
        series,
        _create(
            series,
            "roi",
            [
                _roi("nodule", 3, [[10, 10], [19, 19]]),
                _roi("cyst", 5, [[30, 30], [39, 39]]),
            ],
        ),
    )
    _work(
        team,
        BOB,
        series,
        _create(
            series,
            "roi",
            [
                _roi("nodule", 3, [[12, 10], [21, 19]]),
                _roi("nodule", 5, [[30, 30], [39, 34]]),
            ],
        ),
    )
    _work(
        team,
        ANN,
        document,
        _create(document, "span", [_span("AE", 0, 5), _span("Drug", 10, 20)]),
    )
    _work(
        team,
        BOB,
        document,
        _create(document, "span", [_span("AE", 0, 5), _span("Drug", 12, 20)]),
    )
    _work(team, ANN, pair, _judge(pair, "ann", 0))
    _work(team, BOB, pair, _judge(pair, "bob", 1))

    assert _adjudicate(team, series, [LEFT, RIGHT]) == 2
    assert _adjudicate(team, document, [RIGHT]) == 2  # AE agreed, Drug chosen
    assert _adjudicate(team, pair, [RIGHT]) == 1
    return team


def test_adjudicated_rois_are_not_the_adjudicators_rating(adjudicated: Path) -> None:
    with signed_in(adjudicated, LEAD) as project:
        rois = rois_of(project.records)
        consensus = rois_of(project.records, adjudicated=True)
        current = project.records.current("roi")

    assert len(current) == 6  # 2 + 2 annotators' and 2 adjudicated
    assert sorted(r.author for r in rois) == ["ann", "ann", "bob", "bob"]
    assert sorted((r.author, r.slice_index) for r in consensus) == [
        ("lee", 3),
        ("lee", 5),
    ]
    agreements = roi_agreements(rois)
    assert [(a.annotator_a, a.annotator_b) for a in agreements] == [("ann", "bob")]
    (result,) = agreements
    # Dice 2 x 80 / 200 on slice 3 and 2 x 50 / 150 on slice 5.
    assert round(result.mean_dice or 0, 4) == round((0.8 + 100 / 150) / 2, 4)


def test_each_annotator_against_the_adjudicated_rois(adjudicated: Path) -> None:
    with signed_in(adjudicated, LEAD) as project:
        scores = roi_adjudicated_scores(
            rois_of(project.records), rois_of(project.records, adjudicated=True)
        )

    assert [s.annotator for s in scores] == ["ann", "bob"]
    ann, bob = scores
    assert (ann.series, ann.detection.matched, ann.detection.reference) == (1, 2, 2)
    # ann's nodule kept (Dice 1); her 100-pixel cyst over the kept 50 pixels.
    assert round(ann.mean_dice or 0, 4) == round((1.0 + 100 / 150) / 2, 4)
    assert ann.label_accuracy == 0.5
    assert round(bob.mean_dice or 0, 4) == round((0.8 + 1.0) / 2, 4)
    assert bob.label_accuracy == 1.0


def test_adjudicated_spans_are_left_out_and_scored_against(adjudicated: Path) -> None:
    with signed_in(adjudicated, LEAD) as project:
        spans = spans_of(project.records)
        consensus = spans_of(project.records, adjudicated=True)

    assert sorted(s.author for s in spans) == ["ann", "ann", "bob", "bob"]
    assert sorted((s.author, s.label, s.fragments) for s in consensus) == [
        ("lee", "AE", ((0, 5),)),
        ("lee", "Drug", ((12, 20),)),
    ]
    agreements = span_agreements(spans)
    assert [(a.annotator_a, a.annotator_b) for a in agreements] == [("ann", "bob")]
    assert agreements[0].exact.matched == 1

    ann, bob = span_adjudicated_scores(spans, consensus)
    assert (ann.annotator, ann.documents) == ("ann", 1)
    assert (ann.exact.matched, ann.exact.reference, ann.exact.candidate) == (1, 2, 2)
    assert ann.lenient.matched == 2
    assert (bob.annotator, bob.exact.matched, bob.exact.f1) == ("bob", 2, 1.0)


def test_an_adjudicated_verdict_is_not_a_judges_verdict(adjudicated: Path) -> None:
    with signed_in(adjudicated, LEAD) as project:
        verdicts = verdicts_of(project.records)
        consensus = verdicts_of(project.records, adjudicated=True)
        biases = judge_biases(project.records)
        labelled = labelled_records(project.records, verdicts)

    assert sorted((v.judge, v.outcome) for v in verdicts) == [
        ("ann", "first"),
        ("bob", "second"),
    ]
    assert [(v.judge, v.outcome) for v in consensus] == [("lee", "second")]
    pairwise = preference_agreement(verdicts).pairwise
    assert [(p.judge_a, p.judge_b) for p in pairwise] == [("ann", "bob")]
    assert pairwise[0].agreement.percent_agreement == 0.0
    assert [b.judge for b in biases] == ["ann", "bob"]
    scores = judge_adjudicated_scores(verdicts, consensus)
    assert [(s.judge, s.judged, s.correct) for s in scores] == [
        ("ann", 1, 0),
        ("bob", 1, 1),
    ]
    # 4 ROIs, 4 spans and 2 verdicts: the adjudicator labelled nothing.
    assert len(labelled) == 10
    assert {entry.author for entry in labelled} == {"ann", "bob"}


def test_the_report_lists_each_annotator_against_the_adjudication(
    adjudicated: Path,
) -> None:
    with signed_in(adjudicated, LEAD) as project:
        report = build_report(project.records)
    lines = report_lines(report)

    assert len(report.rois) == len(report.spans) == 1
    assert len(report.preference.pairwise) == 1
    start = lines.index(
        "adjudicated: annotator\tkind\tscored on\tscore\tlabel accuracy"
    )
    assert lines[start + 1 : start + 7] == [
        "  ann\tspans\t1\tP 1.000 R 1.000 F1 1.000\t1.000",
        "  bob\tspans\t1\tP 1.000 R 1.000 F1 1.000\t1.000",
        "  ann\tROIs\t1\tP 1.000 R 1.000 F1 1.000\t0.500",
        "  bob\tROIs\t1\tP 1.000 R 1.000 F1 1.000\t1.000",
        "  ann\tpairs\t1\tkept 0.000\t–",
        "  bob\tpairs\t1\tkept 1.000\t–",
    ]
