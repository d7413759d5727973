"""Judges' agreement, gold accuracy and side bias on real HH-RLHF health pairs."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from quality_support import ANN, BOB, CYD, LEAD, signed_in

from app.preference.importing import import_pairs, mark_gold
from app.preference.judgements import Judgement, current_rubrics, save_judgement
from app.preference.pairs import PairSource
from app.preference.sides import side_order
from app.quality.preference import (
    OUTCOMES,
    judge_biases,
    judge_gold_scores,
    preference_agreement,
    verdicts_of,
)

ANN_OUTCOMES = [
    "first", "second", "first", "first", "tie", "second",
    "first", "second", "first", "first", "second", "first",
]  # fmt: skip
# bob differs from ann on items 4 and 7.
BOB_OUTCOMES = [
    "first", "second", "first", "first", "first", "second",
    "first", "first", "first", "first", "second", "first",
]  # fmt: skip


def _judge(
    folder: Path,
    who: tuple[str, str, str],
    item_ids: list[str],
    outcomes: list[str | None],
) -> list[str]:
    """Judge the items in order; None means "always prefer the left response".

    Returns the outcomes given, by the response's place in the pair as imported.
    """
    given = []
    with signed_in(folder, who) as project:
        rubrics = current_rubrics(project.records)
        for item_id, wanted in zip(item_ids, outcomes, strict=False):
            item = project.records.head(item_id)
            pair = PairSource.from_source(item.body["source"])
            ids = [r.response_id for r in pair.responses]
            sides = side_order(pair.item_key, who[0], ids)
            if wanted is None:
                verdict = "a_better"
                wanted = OUTCOMES[ids.index(sides.positions[0])]
            elif wanted == "tie":
                verdict = "tie"
            else:
                better = ids[OUTCOMES.index(wanted)]
                verdict = "a_better" if sides.positions[0] == better else "b_better"
            judgement = Judgement(
                item_id=item.record_id,
                positions=sides.positions,
                sides_hmac=sides.sides_hmac,
                verdict=verdict,
                strength=None if verdict == "tie" else "clear",
                seconds=30.0,
            )
            save_judgement(
                project.records, judgement, judge=who[0], rubric_names=rubrics
            )
            given.append(wanted)
    return given


@pytest.fixture
def judged(team: Path, shared_data: Path) -> tuple[Path, list[str]]:
    """12 ordinary pairs judged by three judges; item 13 is gold, judged by two."""
    with signed_in(team, LEAD) as project:
        path = shared_data / "preference" / "hh_rlhf_health_pairs.jsonl"
        ids = import_pairs(project.records, path).item_ids
        gold = PairSource.from_source(project.records.head(ids[12]).body["source"])
        mark_gold(project.records, ids[12], gold.responses[0].response_id)
    _judge(team, ANN, ids, [*ANN_OUTCOMES, "first"])
    _judge(team, BOB, ids, [*BOB_OUTCOMES, "second"])
    cyd = _judge(team, CYD, ids, [None] * 12)
    return team, cyd


def _hand_kappa(a: list[str], b: list[str]) -> float:
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    chance = sum((a.count(c) / n) * (b.count(c) / n) for c in OUTCOMES)
    return (observed - chance) / (1 - chance)


def test_cohen_kappa_between_judges(judged: tuple[Path, list[str]]) -> None:
    folder, cyd = judged
    with signed_in(folder, LEAD) as project:
        result = preference_agreement(verdicts_of(project.records))

    by_pair = {(p.judge_a, p.judge_b): p.agreement for p in result.pairwise}
    assert sorted(by_pair) == [("ann", "bob"), ("ann", "cyd"), ("bob", "cyd")]
    ann_bob = by_pair[("ann", "bob")]
    assert ann_bob.n_items == 12
    assert round(ann_bob.percent_agreement, 3) == round(100 * 10 / 12, 3)
    assert round(ann_bob.kappa or 0, 3) == round(
        _hand_kappa(ANN_OUTCOMES, BOB_OUTCOMES), 3
    )
    assert round(ann_bob.kappa or 0, 3) == 0.652
    assert round(by_pair[("ann", "cyd")].kappa or 0, 3) == round(
        _hand_kappa(ANN_OUTCOMES, cyd), 3
    )


def test_fleiss_kappa_over_three_judges(judged: tuple[Path, list[str]]) -> None:
    folder, cyd = judged
    with signed_in(folder, LEAD) as project:
        result = preference_agreement(verdicts_of(project.records))
    rows = list(zip(ANN_OUTCOMES, BOB_OUTCOMES, cyd, strict=True))
    counts = np.array([[row.count(c) for c in OUTCOMES] for row in rows], float)
    p_i = ((counts**2).sum(axis=1) - 3) / 6
    p_j = counts.sum(axis=0) / counts.sum()
    hand = (p_i.mean() - (p_j**2).sum()) / (1 - (p_j**2).sum())

    assert result.all_judges == ("ann", "bob", "cyd")
    assert result.fleiss is not None
    assert (result.fleiss.n_items, result.fleiss.n_raters) == (12, 3)
    assert round(result.fleiss.kappa or 0, 3) == round(float(hand), 3)


def test_gold_accuracy(judged: tuple[Path, list[str]]) -> None:
    folder, _ = judged
    with signed_in(folder, LEAD) as project:
        scores = judge_gold_scores(verdicts_of(project.records))

    assert [(s.judge, s.judged, s.correct, s.accuracy) for s in scores] == [
        ("ann", 1, 1, 1.0),
        ("bob", 1, 0, 0.0),
    ]


def _binomial_p(k: int, n: int) -> float:
    """Exact two-sided binomial test at 1/2: outcomes no likelier than k."""
    probs = [math.comb(n, i) / 2**n for i in range(n + 1)]
    return sum(p for p in probs if p <= probs[k] * (1 + 1e-7))


def test_a_judge_who_always_picks_the_left_response_is_flagged(
    judged: tuple[Path, list[str]],
) -> None:
    folder, _ = judged
    with signed_in(folder, LEAD) as project:
        biases = {b.judge: b for b in judge_biases(project.records)}

    cyd = biases["cyd"]
    assert (cyd.left, cyd.right, cyd.no_preference) == (12, 0, 0)
    assert round(cyd.p_value or 0, 6) == round(2 / 2**12, 6) == 0.000488
    assert cyd.is_flagged
    ann = biases["ann"]
    assert ann.left + ann.right == 12
    assert ann.no_preference == 1
    assert round(ann.p_value or 0, 3) == round(_binomial_p(ann.left, 12), 3)
    assert not ann.is_flagged
