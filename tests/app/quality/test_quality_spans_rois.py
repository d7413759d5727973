"""Span and ROI agreement of two annotators, and against gold, in a real project."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from quality_support import ANN, BOB, CYD, LEAD, run_cli, signed_in
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

from app.quality.errors import QualityError
from app.quality.rois import roi_agreements, roi_gold_scores, rois_of
from app.quality.spans import (
    NO_LABEL,
    character_fleiss,
    span_agreements,
    span_gold_scores,
    spans_of,
)
from storage.items import add_item
from viewers.imaging.roi import roi_mask


def _hand_kappa(a: list[str], b: list[str]) -> float:
    cats = sorted(set(a) | set(b))
    table = np.zeros((len(cats), len(cats)))
    for x, y in zip(a, b, strict=True):
        table[cats.index(x), cats.index(y)] += 1
    n = table.sum()
    observed = np.trace(table) / n
    chance = table.sum(axis=1) @ table.sum(axis=0) / n**2
    return float((observed - chance) / (1 - chance))


def _meddra(llt: int, pt: int) -> dict:
    """A MedDRA code body of the shape app.terminology.meddra.code_for builds."""
    return {"system": "meddra", "version": "99.0", "llt_code": llt, "pt_code": pt}


def _span(
    label: str,
    *fragments: tuple[int, int],
    gold: bool = False,
    code: dict | None = None,
) -> dict:
    body = {
        "document_hash": "0" * 64,
        "label": label,
        "label_set_version": 1,
        "fragments": [list(f) for f in fragments],
        "text": "",
        "attributes": {},
        "code": code,
    }
    if gold:
        body["gold"] = True
    return body


@pytest.fixture
def documents(team: Path) -> Path:
    """Two documents; ann and bob span the first, only ann the second; gold on it."""
    with signed_in(team, LEAD) as project:
        first = add_item(project.records, "document", "AE form 1", {"sha256": "a"})
        second = add_item(project.records, "document", "AE form 2", {"sha256": "b"})
        for body in (
            _span("AE", (0, 5), gold=True),
            _span("Drug", (12, 20), gold=True),
        ):
            project.records.create("span", body, item_id=first.record_id)
    with signed_in(team, ANN) as project:
        for body in (
            _span("AE", (0, 5), code=_meddra(99001, 99100)),
            _span("Drug", (10, 20)),
            _span("AE", (30, 40), code=_meddra(99003, 99200)),
        ):
            project.records.create("span", body, item_id=first.record_id)
        project.records.create("span", _span("AE", (1, 4)), item_id=second.record_id)
    with signed_in(team, BOB) as project:
        for body in (
            _span("AE", (0, 5), code=_meddra(99002, 99100)),  # ann's PT, other LLT
            _span("Drug", (12, 20)),  # inside ann's Drug: lenient only
            _span("Drug", (30, 40)),  # ann's AE place, another label
            _span("AE", (50, 55)),  # ann has nothing here
        ):
            project.records.create("span", body, item_id=first.record_id)
    return team


def test_span_f1_exact_and_lenient(documents: Path) -> None:
    with signed_in(documents, LEAD) as project:
        spans = spans_of(project.records)

    (result,) = span_agreements(spans)

    assert (result.annotator_a, result.annotator_b, result.documents) == (
        "ann",
        "bob",
        1,
    )
    assert (result.exact.matched, result.exact.reference, result.exact.candidate) == (
        1,
        3,
        4,
    )
    assert round(result.exact.precision or 0, 3) == 0.250
    assert round(result.exact.recall or 0, 3) == 0.333
    assert round(result.exact.f1 or 0, 3) == 0.286
    assert result.lenient.matched == 2
    assert round(result.lenient.precision or 0, 3) == 0.500
    assert round(result.lenient.recall or 0, 3) == 0.667
    assert round(result.lenient.f1 or 0, 3) == 0.571


def test_span_label_and_character_kappa(documents: Path) -> None:
    with signed_in(documents, LEAD) as project:
        (result,) = span_agreements(spans_of(project.records))
    # Spans paired by overlap whatever the label; bob's extra span against none.
    labels_a = ["AE", "Drug", "AE", NO_LABEL]
    labels_b = ["AE", "Drug", "Drug", "AE"]
    # Code points: 0-4 AE/AE, 10-11 Drug/none, 12-19 Drug/Drug, 30-39 AE/Drug,
    # 50-54 none/AE.
    chars_a = ["AE"] * 5 + ["Drug"] * 10 + ["AE"] * 10 + [NO_LABEL] * 5
    chars_b = ["AE"] * 5 + [NO_LABEL] * 2 + ["Drug"] * 8 + ["Drug"] * 10 + ["AE"] * 5

    assert result.labels is not None
    assert result.characters is not None
    assert result.labels.n_items == 4
    assert round(result.labels.kappa or 0, 3) == round(
        _hand_kappa(labels_a, labels_b), 3
    )
    assert round(result.labels.kappa or 0, 3) == 0.200
    assert result.characters.n_items == 30
    assert round(result.characters.observed, 3) == 0.433
    assert round(result.characters.kappa or 0, 3) == round(
        _hand_kappa(chars_a, chars_b), 3
    )


def test_span_f1_per_label_and_code_agreement(documents: Path) -> None:
    with signed_in(documents, LEAD) as project:
        (result,) = span_agreements(spans_of(project.records))

    by_label = dict(result.by_label)
    assert (by_label["AE"].matched, by_label["AE"].reference) == (1, 2)
    assert round(by_label["AE"].f1 or 0, 3) == 0.500
    assert round(by_label["Drug"].f1 or 0, 3) == 0.667
    # Coded pairs: PT 99100 on both sides (other LLTs), PT 99200 against none.
    assert result.codes is not None
    assert result.codes.categories == (
        "(uncoded)",
        "meddra PT 99100",
        "meddra PT 99200",
    )
    assert result.codes.n_items == 2
    assert result.codes.percent_agreement == 50.0
    assert round(result.codes.kappa or 0, 3) == 0.333


def test_spans_against_gold(documents: Path) -> None:
    with signed_in(documents, LEAD) as project:
        scores = span_gold_scores(spans_of(project.records))

    by_annotator = {s.annotator: s for s in scores}
    ann = by_annotator["ann"]
    assert ann.documents == 1
    assert round(ann.exact.precision or 0, 3) == 0.333
    assert round(ann.exact.recall or 0, 3) == 0.500
    assert round(ann.exact.f1 or 0, 3) == 0.400
    assert round(ann.lenient.precision or 0, 3) == 0.667
    assert round(ann.lenient.recall or 0, 3) == 1.000
    assert round(ann.lenient.f1 or 0, 3) == 0.800
    assert ann.label_accuracy == 1.0
    bob = by_annotator["bob"]
    assert round(bob.exact.f1 or 0, 3) == round(2 * 2 / 6, 3)
    assert sorted(by_annotator) == ["ann", "bob"]


def _roi(
    kind: str, label: str, slice_index: int, points: list, gold: bool = False
) -> dict:
    body = {
        "kind": kind,
        "label": label,
        "label_set_version": 1,
        "series_instance_uid": "1.2.3",
        "sop_instance_uid": f"1.2.3.{slice_index}",
        "slice_index": slice_index,
        "points_image": points,
        "points_patient_mm": [],
        "statistics": None,
        "length_mm": None,
    }
    if gold:
        body["gold"] = True
    return body


@pytest.fixture
def series(team: Path) -> Path:
    """One 64 x 64 series: ann and bob draw ROIs, the lead a gold nodule."""
    source = {"series_instance_uid": "1.2.3", "rows": 64, "columns": 64, "files": []}
    with signed_in(team, LEAD) as project:
        item = add_item(project.records, "series", "Chest CT", source).record_id
        project.records.create(
            "roi",
            _roi("rectangle", "nodule", 3, [[10, 10], [19, 19]], True),
            item_id=item,
        )
    with signed_in(team, ANN) as project:
        for body in (
            _roi("rectangle", "nodule", 3, [[10, 10], [19, 19]]),  # 100 pixels
            _roi("rectangle", "cyst", 5, [[30, 30], [39, 39]]),  # 100 pixels
            _roi("ruler", "nodule", 3, [[0, 0], [9, 9]]),  # no area: left out
        ):
            project.records.create("roi", body, item_id=item)
    with signed_in(team, BOB) as project:
        for body in (
            _roi("rectangle", "nodule", 3, [[12, 10], [21, 19]]),  # 80 shared
            _roi("rectangle", "nodule", 5, [[30, 30], [39, 34]]),  # 50 shared
            _roi("ellipse", "nodule", 7, [[0, 0], [8, 8]]),  # alone on slice 7
        ):
            project.records.create("roi", body, item_id=item)
    return team


def test_roi_dice_per_label_and_detection(series: Path) -> None:
    with signed_in(series, LEAD) as project:
        rois = rois_of(project.records)

    (result,) = roi_agreements(rois)

    assert (result.annotator_a, result.annotator_b, result.series) == ("ann", "bob", 1)
    assert (result.detection.matched, result.detection.reference) == (2, 2)
    assert result.detection.candidate == 3
    assert round(result.detection.f1 or 0, 3) == 0.800
    # Dice 2 x 80 / 200 = 0.8 and 2 x 50 / 150; IoU 80/120 and 50/100.
    assert round(result.mean_dice or 0, 3) == round((0.8 + 100 / 150) / 2, 3) == 0.733
    assert round(result.mean_iou or 0, 3) == round((80 / 120 + 0.5) / 2, 3)
    (nodule,) = result.by_label
    assert (nodule.label, nodule.pairs) == ("nodule", 1)
    assert round(nodule.mean_dice, 3) == 0.800
    assert result.labels is not None
    expected = _hand_kappa(["nodule", "cyst", NO_LABEL], ["nodule", "nodule", "nodule"])
    assert round(result.labels.kappa or 0, 3) == round(expected, 3)


def test_rois_against_gold(series: Path) -> None:
    with signed_in(series, LEAD) as project:
        scores = {s.annotator: s for s in roi_gold_scores(rois_of(project.records))}

    assert scores["ann"].mean_dice == 1.0
    assert round(scores["ann"].detection.f1 or 0, 3) == 0.667
    assert scores["ann"].label_accuracy == 1.0
    assert round(scores["bob"].mean_dice or 0, 3) == 0.800


def test_cli_agreement_reads_the_password_from_stdin(
    documents: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(LEAD[2] + "\n"))
    argv = ["quality", "agreement", "--project", str(documents), "--user", "lee"]

    status = run_cli([*argv, "--password-stdin"])

    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    assert lines[1] == (
        "  ann\tbob\t1\tP 0.250 R 0.333 F1 0.286\tP 0.500 R 0.667 F1 0.571\t"
        "0.200 (n=4)\t0.089 (n=30)\t50.0% 0.333 (n=2)\tAE 0.500, Drug 0.667"
    )


def test_dice_of_an_ellipse_and_a_polygon_matches_full_masks(team: Path) -> None:
    ellipse = [[20.5, 14.0], [47.0, 40.5]]
    polygon = [[30.0, 10.0], [60.0, 25.0], [41.5, 50.0], [18.0, 33.0]]
    source = {"rows": 64, "columns": 72, "files": []}
    with signed_in(team, LEAD) as project:
        item = add_item(project.records, "series", "MR", source).record_id
    with signed_in(team, ANN) as project:
        body = _roi("ellipse", "lesion", 0, ellipse)
        project.records.create("roi", body, item_id=item)
    with signed_in(team, BOB) as project:
        body = _roi("polygon", "lesion", 0, polygon)
        project.records.create("roi", body, item_id=item)
    a = roi_mask("ellipse", [tuple(p) for p in ellipse], (64, 72))
    b = roi_mask("polygon", [tuple(p) for p in polygon], (64, 72))
    dice = 2 * (a & b).sum() / (a.sum() + b.sum())

    with signed_in(team, LEAD) as project:
        (result,) = roi_agreements(rois_of(project.records))

    assert round(result.mean_dice or 0, 3) == round(float(dice), 3)
    assert round(result.mean_iou or 0, 3) == round(
        float((a & b).sum() / (a | b).sum()), 3
    )
    assert 0.3 < dice < 0.9


def test_a_span_without_fragments_is_named_not_skipped(team: Path) -> None:
    with signed_in(team, ANN) as project:
        item = add_item(project.records, "document", "AE form", {}).record_id
        bad = project.records.create("span", _span("AE"), item_id=item).record_id

        with pytest.raises(QualityError, match=bad):
            spans_of(project.records)


def test_an_roi_on_a_series_without_a_size_is_named(team: Path) -> None:
    with signed_in(team, ANN) as project:
        item = add_item(project.records, "series", "CT", {"files": []}).record_id
        body = _roi("rectangle", "nodule", 0, [[1, 1], [4, 4]])
        bad = project.records.create("roi", body, item_id=item).record_id

        with pytest.raises(QualityError, match=bad):
            rois_of(project.records)


def test_fleiss_kappa_of_three_annotators_over_characters(team: Path) -> None:
    with signed_in(team, LEAD) as project:
        item = add_item(project.records, "document", "AE form", {}).record_id
    for who, bodies in (
        (ANN, [_span("AE", (0, 6))]),
        (BOB, [_span("AE", (0, 4)), _span("Drug", (4, 6))]),
        (CYD, [_span("AE", (2, 6)), _span("Drug", (8, 10))]),
    ):
        with signed_in(team, who) as project:
            for body in bodies:
                project.records.create("span", body, item_id=item)
    # Code points 0-5 and 8-9, rated by ann, bob and cyd.
    rows = [
        ["AE", "AE", NO_LABEL], ["AE", "AE", NO_LABEL], ["AE", "AE", "AE"],
        ["AE", "AE", "AE"], ["AE", "Drug", "AE"], ["AE", "Drug", "AE"],
        [NO_LABEL, NO_LABEL, "Drug"], [NO_LABEL, NO_LABEL, "Drug"],
    ]  # fmt: skip
    cats = [NO_LABEL, "AE", "Drug"]
    counts = np.array([[row.count(c) for c in cats] for row in rows], float)

    with signed_in(team, LEAD) as project:
        annotators, result = character_fleiss(spans_of(project.records))

    assert annotators == ("ann", "bob", "cyd")
    assert result is not None
    assert (result.n_items, result.n_raters) == (8, 3)
    assert result.category_totals == (6, 14, 4)
    assert round(result.kappa or 0, 3) == round(float(statsmodels_fleiss(counts)), 3)
    assert round(result.kappa or 0, 3) == 0.122
