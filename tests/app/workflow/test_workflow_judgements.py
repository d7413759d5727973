"""Two judges' verdicts on real preference pairs: blind, compared, adjudicated."""

from __future__ import annotations

from pathlib import Path

import pytest
from workflow_support import ANN, BOB, LEAD, REV, signed_in

from app.preference.importing import import_pairs
from app.preference.judgements import Judgement, current_rubrics, save_judgement
from app.preference.pairs import PairSource
from app.preference.sides import side_order
from app.workflow import (
    RIGHT,
    Choice,
    adjudicate_item,
    assign_item,
    compare_item,
    start_work,
    submit_work,
)


def _judge(folder: Path, who: tuple[str, str, str], item_id: str, better: int) -> None:
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
                seconds=20.0,
            ),
            judge=who[0],
            rubric_names=current_rubrics(project.records),
        )
        submit_work(project, item_id)


@pytest.fixture
def pairs(team: Path, shared_data: Path) -> tuple[Path, list[str]]:
    """The first two health pairs, each assigned to ann and bob."""
    path = shared_data / "preference" / "hh_rlhf_health_pairs.jsonl"
    with signed_in(team, LEAD) as project:
        ids = import_pairs(project.records, path).item_ids[:2]
        for item_id in ids:
            assign_item(project, item_id, ["ann", "bob"])
    return team, ids


def test_same_preference_in_other_display_orders_agrees(
    pairs: tuple[Path, list[str]],
) -> None:
    folder, (item_id, _) = pairs
    _judge(folder, ANN, item_id, better=0)
    _judge(folder, BOB, item_id, better=0)

    with signed_in(folder, REV) as project:
        comparison = compare_item(project, item_id)

    assert comparison.differences == ()
    (match,) = comparison.matches
    assert match.record_type == "judgement"
    assert comparison.agreement.measure == "observed_agreement"
    assert comparison.agreement.value == 1.0


def test_a_verdict_difference_is_adjudicated(pairs: tuple[Path, list[str]]) -> None:
    folder, (_, item_id) = pairs
    _judge(folder, ANN, item_id, better=0)
    _judge(folder, BOB, item_id, better=1)

    with signed_in(folder, REV) as project:
        comparison = compare_item(project, item_id)
        (difference,) = comparison.differences
        result = adjudicate_item(
            project,
            comparison,
            {0: Choice(RIGHT)},
            reason="the second answer names the red flags",
            password=REV[2],
            user_id="rev",
        )
        pair = PairSource.from_source(project.records.head(item_id).body["source"])

    assert difference.problems == ("verdict",)
    assert comparison.agreement.value == 0.0
    (record,) = result.records
    assert record.record_type == "judgement"
    assert record.body["preferred"] == pair.responses[1].response_id
    assert record.body["judge"] == "bob"
    assert record.body["adjudicated_from"] == difference.source_ids
    assert result.item.body["status"] == "reviewed"
