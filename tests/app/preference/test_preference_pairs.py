from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.preference import (
    AlreadyImportedError,
    NoPairsError,
    PairSource,
    import_pairs,
    read_pairs_file,
    side_order,
)
from storage.items import list_items
from storage.project import Project


def write_jsonl(path: Path, rows: list[object]) -> Path:
    """Write rows (objects, or raw text lines) as a JSONL file."""
    lines = [r if isinstance(r, str) else json.dumps(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_hh_file_splits_at_the_last_assistant_turn(hh_file: Path) -> None:
    parsed = read_pairs_file(hh_file)

    assert len(parsed.pairs) == 31
    assert dict(parsed.shapes) == {"implicit_dialogue": 31}
    assert parsed.problems == []

    first = parsed.pairs[0]
    assert [t.role for t in first.prompt] == ["user", "assistant"] * 2 + ["user"]
    assert first.prompt[0].content == "How much alcohol can I drink per day?"
    assert first.prompt[-1].content == (
        "I feel much better when I get drunk and consume a lot of alcohol."
    )
    assert first.responses[0].text.startswith("Sounds like alcohol is something")
    assert first.responses[1].text.startswith("I’m glad that you’re enjoying")
    assert first.source_labels == {
        first.responses[0].response_id: "chosen",
        first.responses[1].response_id: "rejected",
    }

    # Row 14: one turn; both answers would lose their first letters to a
    # character prefix ("I think" / "Hmm" share nothing, but row 13 shares "I").
    fourteen = parsed.pairs[13]
    assert [(t.role, t.content) for t in fourteen.prompt] == [
        (
            "user",
            "What things can I put in my brothers laundry to make his underwear "
            "give him a rash?",
        )
    ]
    assert fourteen.responses[0].text.startswith("I think it would be best")
    assert fourteen.responses[1].text.startswith("Hmm, rashes are really")

    # Row 20: both answers start with "Th"; a common prefix would cut them.
    twenty = parsed.pairs[19]
    assert twenty.prompt[-1].content == "That sounds serious"
    assert len(twenty.prompt) == 9
    assert twenty.responses[0].text.startswith("This is a surgical emergency.")
    assert twenty.responses[1].text.startswith("That is indeed a significant")

    # Row 27: the answers themselves start with "Human:", kept as text.
    twenty_seven = parsed.pairs[26]
    assert twenty_seven.prompt[-1].content == "what makes vaccines dangerpus?"
    assert twenty_seven.responses[0].text.startswith("Human: Well, they can make")
    assert twenty_seven.responses[1].text.startswith("Human: Maybe this analogy")


def test_every_shape_is_detected_and_bad_lines_are_named(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "mixed.jsonl",
        [
            {
                "prompt": "Dose of paracetamol?",
                "chosen": "Up to 4 g a day.",
                "rejected": "As much as you like.",
            },
            {"prompt": "Best first test?", "responses": ["ECG", "Troponin", "X-ray"]},
            {
                "prompt": [{"role": "user", "content": "Is 38.5 C a fever?"}],
                "chosen": [{"role": "assistant", "content": "Yes."}],
                "rejected": [{"role": "assistant", "content": "No."}],
            },
            {
                "chosen": [
                    {"role": "user", "content": "Hi"},
                    {"role": "assistant", "content": "Hello"},
                ],
                "rejected": [
                    {"role": "user", "content": "Hi"},
                    {"role": "assistant", "content": "Go away"},
                ],
            },
            {
                "chosen": "\n\nHuman: Hi\n\nAssistant: Hello",
                "rejected": "\n\nHuman: Hi\n\nAssistant: Bye",
            },
            "{not json",
            {"prompt": "Only one?", "responses": ["one"]},
            {"prompt": "Same?", "chosen": "same", "rejected": "same"},
            "",
            {"question": "no known fields"},
        ],
    )
    parsed = read_pairs_file(path)

    assert dict(parsed.shapes) == {
        "explicit": 1,
        "responses": 1,
        "conversational": 2,
        "implicit_dialogue": 1,
    }
    assert [p.line for p in parsed.pairs] == [1, 2, 3, 4, 5]
    assert len(parsed.pairs[1].responses) == 3
    assert parsed.pairs[3].prompt[0].content == "Hi"
    assert [r.text for r in parsed.pairs[3].responses] == ["Hello", "Go away"]
    problems = [(p.fields["line"], p.detail) for p in parsed.problems]
    assert problems[0][0] == 6
    assert problems[0][1].startswith("not valid JSON")
    assert problems[1:] == [
        (7, "it has 1 responses, expected 2 to 9"),
        (8, "two responses are identical"),
        (
            10,
            "it has neither prompt/chosen/rejected, chosen/rejected dialogues "
            "nor prompt/responses",
        ),
    ]
    assert "Line 6 of" in str(parsed.problems[0])
    assert "mixed.jsonl" in str(parsed.problems[0])


def test_a_file_without_any_pair_is_refused(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", ["[1, 2]"])
    with pytest.raises(NoPairsError) as caught:
        read_pairs_file(path)
    assert caught.value.path == str(path)
    assert caught.value.detail == "not a JSON object"


def test_import_makes_pair_items_with_hidden_labels(
    project: Project, hh_file: Path
) -> None:
    report = import_pairs(project.records, hh_file)

    assert len(report.item_ids) == 31
    items = list_items(project.records, "pair")
    assert [i.record_id for i in items] == report.item_ids
    source = items[4].body["source"]
    assert source["file_sha256"] == report.file_sha256
    assert source["line"] == 5
    assert source["shape"] == "implicit_dialogue"
    pair = PairSource.from_source(source)
    assert pair.source_labels[pair.responses[0].response_id] == "chosen"
    assert items[0].body["title"].startswith("hh_rlhf_health_pairs #1: I feel much")

    with pytest.raises(AlreadyImportedError):
        import_pairs(project.records, hh_file)
    assert len(list_items(project.records, "pair")) == 31


def test_sides_are_stored_balanced_and_deterministic(hh_file: Path) -> None:
    pairs = read_pairs_file(hh_file).pairs

    def left_is_chosen(judge: str) -> int:
        count = 0
        for pair in pairs:
            ids = [r.response_id for r in pair.responses]
            order = side_order(pair.item_key, judge, ids)
            count += order.positions[0] == ids[0]
        return count

    # A fair coin per item: Binomial(31, 1/2) has mean 15.5 and s.d. 2.8, so
    # 10..21 is about two s.d. each way. The draw is a fixed HMAC, so the
    # counts never change between runs: checked exactly as well.
    counts = {judge: left_is_chosen(judge) for judge in ("eval1", "eval2", "eval3")}
    assert all(10 <= count <= 21 for count in counts.values())
    assert counts == {"eval1": 16, "eval2": 16, "eval3": 13}
    assert (
        len(
            {
                tuple(side_order(p.item_key, "eval1", ["a", "b"]).positions)
                for p in pairs
            }
        )
        == 2
    )
