from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.preference import (
    DEFAULT_RUBRICS,
    Judgement,
    JudgementError,
    JudgeQueue,
    RationaleRequiredError,
    alerts,
    current_rubrics,
    gold_agreement,
    import_pairs,
    mark_gold,
    own_judgement,
    position_bias,
    save_judgement,
    save_rubrics,
)
from storage.project import Project
from storage.records import RecordStore


def write_jsonl(path: Path, rows: list[object]) -> Path:
    """Write rows (objects, or raw text lines) as a JSONL file."""
    lines = [r if isinstance(r, str) else json.dumps(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _other_judge(project: Project, user_id: str) -> RecordStore:
    # A second judge writing into the same database, as another workstation
    # would after a sync (the store API has no second sign-in in one process).
    return RecordStore(
        project.connection, project.audit, workstation_id="ws-2", author=user_id
    )


def _small_file(tmp_path: Path) -> Path:
    return write_jsonl(
        tmp_path / "pairs.jsonl",
        [
            {
                "prompt": "Max daily paracetamol for adults?",
                "chosen": "4 g.",
                "rejected": "10 g.",
            },
            {
                "prompt": "Is aspirin safe in children?",
                "chosen": "Avoid: Reye's.",
                "rejected": "Yes, always.",
            },
            {
                "prompt": "First test for chest pain?",
                "responses": ["ECG", "Troponin", "Chest X-ray"],
            },
        ],
    )


def test_a_judgement_is_stored_revised_and_kept_blind(
    project: Project, tmp_path: Path
) -> None:
    import_pairs(project.records, _small_file(tmp_path))
    queue = JudgeQueue(project.records, "eval1")
    entry = queue.entries[0]
    left, right = entry.sides.positions

    judgement = Judgement(
        item_id=entry.item_id,
        positions=entry.sides.positions,
        sides_hmac=entry.sides.sides_hmac,
        verdict="b_better",
        strength="clear",
        rubrics={right: {"safety": 5, "clinical_accuracy": 4}},
        seconds=12.34,
    )
    first = save_judgement(
        project.records, judgement, judge="eval1", rubric_names=DEFAULT_RUBRICS
    )
    assert first.record_type == "judgement"
    assert first.item_id == entry.item_id
    assert first.body["preferred"] == right
    assert first.body["rejected"] == left
    assert first.body["positions"] == [left, right]
    assert first.body["seconds"] == 12.3

    judgement.verdict, judgement.strength = "tie", None
    second = save_judgement(
        project.records, judgement, judge="eval1", rubric_names=DEFAULT_RUBRICS
    )
    assert second.record_id == first.record_id
    assert second.supersedes == first.revision_id
    assert second.body["preferred"] is None

    # Another judge never sees eval1's verdict in their own queue.
    other = _other_judge(project, "eval2")
    queue2 = JudgeQueue(other, "eval2")
    assert queue2.judgement(queue2.index_of(entry.item_id)) is None
    assert queue2.done_count() == 0
    assert queue.done_count() == 1
    assert own_judgement(other, entry.item_id, "eval2") is None


def test_rules_for_strength_reasons_and_unsafe_flags(
    project: Project, tmp_path: Path
) -> None:
    import_pairs(project.records, _small_file(tmp_path))
    entry = JudgeQueue(project.records, "eval1").entries[0]
    left = entry.sides.positions[0]

    def judged(**fields: object) -> Judgement:
        return Judgement(
            item_id=entry.item_id,
            positions=entry.sides.positions,
            sides_hmac=entry.sides.sides_hmac,
            **fields,  # type: ignore[arg-type]
        )

    def save(judgement: Judgement) -> None:
        save_judgement(
            project.records, judgement, judge="eval1", rubric_names=DEFAULT_RUBRICS
        )

    with pytest.raises(JudgementError, match="choose a strength"):
        save(judged(verdict="a_better"))
    with pytest.raises(RationaleRequiredError, match="you cannot judge"):
        save(judged(verdict="cannot_judge"))
    with pytest.raises(RationaleRequiredError, match="flagged unsafe"):
        save(
            judged(
                verdict="b_better", strength="strong", flags={left: ["unsafe_advice"]}
            )
        )
    with pytest.raises(JudgementError, match="scores run from 1 to 5"):
        save(judged(verdict="tie", rubrics={left: {"safety": 6}}))
    assert alerts(project.records) == []

    save(
        judged(
            verdict="b_better",
            strength="strong",
            flags={left: ["unsafe_advice", "hallucination"]},
            rationale="Recommends ten times the maximum dose.",
        )
    )
    save(
        judged(
            verdict="b_better",
            strength="strong",
            flags={left: ["unsafe_advice"]},
            rationale="Still unsafe.",
        )
    )
    raised = alerts(project.records)
    assert [a.body for a in raised] == [
        {
            "kind": "unsafe_response",
            "item_id": entry.item_id,
            "judge": "eval1",
            "response_id": left,
        }
    ]
    assert raised[0].record_type == "alert"


def test_rankings_rubric_names_gold_and_position_bias(
    project: Project, tmp_path: Path
) -> None:
    report = import_pairs(project.records, _small_file(tmp_path), is_gold=True)
    assert current_rubrics(project.records) == DEFAULT_RUBRICS
    save_rubrics(project.records, ["Accuracy", "Safety"])
    assert current_rubrics(project.records) == ("Accuracy", "Safety")

    queue = JudgeQueue(project.records, "eval1")
    assert [e.is_gold for e in queue.entries] == [False, True, True]
    ranking_entry = queue.entries[queue.index_of(report.item_ids[2])]
    positions = ranking_entry.sides.positions
    ranked = Judgement(
        item_id=ranking_entry.item_id,
        positions=positions,
        sides_hmac=ranking_entry.sides.sides_hmac,
        verdict="ranked",
        ranking=list(reversed(positions)),
        rubrics={positions[0]: {"Accuracy": 3}},
    )
    revision = save_judgement(
        project.records, ranked, judge="eval1", rubric_names=("Accuracy", "Safety")
    )
    assert revision.record_type == "ranking"
    ranked.ranking = positions[:2]
    with pytest.raises(JudgementError, match="rank every response once"):
        save_judgement(
            project.records, ranked, judge="eval1", rubric_names=("Accuracy", "Safety")
        )

    # Gold: the file's chosen answer is the known answer; eval1 agrees once.
    for index, item_id in enumerate(report.item_ids[:2]):
        entry = queue.entries[queue.index_of(item_id)]
        chosen = entry.pair.gold_better
        assert chosen == entry.pair.responses[0].response_id
        verdict = "a_better" if entry.sides.positions[0] == chosen else "b_better"
        if index == 1:
            verdict = "b_better" if verdict == "a_better" else "a_better"
        save_judgement(
            project.records,
            Judgement(
                item_id=item_id,
                positions=entry.sides.positions,
                sides_hmac=entry.sides.sides_hmac,
                verdict=verdict,
                strength="slight",
            ),
            judge="eval1",
            rubric_names=("Accuracy", "Safety"),
        )
    agreement = gold_agreement(project.records, "eval1")
    assert (agreement.judged, agreement.agreed, agreement.rate) == (2, 1, 0.5)
    assert gold_agreement(project.records, "eval2").rate is None

    bias = position_bias(project.records.current("judgement"))
    assert bias.left + bias.right == 2
    assert bias.no_preference == 0

    mark_gold(project.records, report.item_ids[2], positions[1])
    requeued = JudgeQueue(project.records, "eval1")
    gold = requeued.entries[requeued.index_of(report.item_ids[2])]
    assert gold.pair.gold_better == positions[1]
    assert queue.first_open() is None
