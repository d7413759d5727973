from __future__ import annotations

import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from app.cli import main
from app.exports.preference import (
    export_trl,
    no_preference_path,
)
from app.preference import DEFAULT_RUBRICS, Judgement, JudgeQueue, save_judgement
from app.preference.errors import ExportError
from storage.project import create_project, open_project

PASSWORD = "Judge-Panel-2026!"

PAIRS = [
    {
        "prompt": "Max daily paracetamol for adults?",
        "chosen": "4 g.",
        "rejected": "10 g.",
    },
    {
        "prompt": [{"role": "user", "content": "Is 38.5 C a fever?"}],
        "chosen": [{"role": "assistant", "content": "Yes, in adults."}],
        "rejected": [{"role": "assistant", "content": "No."}],
    },
    {"prompt": "Aspirin in children?", "chosen": "Avoid it.", "rejected": "Fine."},
    {
        "prompt": "Statin timing?",
        "chosen": "Evening for short-acting ones.",
        "rejected": "Never with water.",
    },
]


def _import_cli(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        "\n".join(json.dumps(p) for p in PAIRS) + "\n{broken\n", encoding="utf-8"
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    return main(
        [
            "pairs",
            "import",
            str(pairs),
            "--project",
            str(folder),
            "--user",
            "eval1",
            "--password-stdin",
        ]
    )


@pytest.fixture
def empty_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    create_project(
        folder,
        name="eval",
        user_id="eval1",
        printed_name="Eval One",
        password=PASSWORD,
    )
    return folder


@pytest.fixture
def folder(empty_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    assert _import_cli(empty_folder, tmp_path, monkeypatch) == 1
    return empty_folder


def _judge_all(folder: Path) -> dict[str, list[str]]:
    verdicts = [
        ("a_better", "slight"),
        ("b_better", "strong"),
        ("both_bad", None),
        ("cannot_judge", None),
    ]
    with open_project(folder, user_id="eval1", password=PASSWORD) as project:
        queue = JudgeQueue(project.records, "eval1")
        assert len(queue) == 4
        for entry, (verdict, strength) in zip(queue.entries, verdicts, strict=True):
            save_judgement(
                project.records,
                Judgement(
                    item_id=entry.item_id,
                    positions=entry.sides.positions,
                    sides_hmac=entry.sides.sides_hmac,
                    verdict=verdict,
                    strength=strength,
                    rationale="Not a clinical question." if strength is None else "",
                ),
                judge="eval1",
                rubric_names=DEFAULT_RUBRICS,
            )
        return {e.item_id: list(e.sides.positions) for e in queue.entries}


def test_cli_import_reports_the_bad_line(
    empty_folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Exit status 1: a line was refused, the four good ones were imported.
    assert _import_cli(empty_folder, tmp_path, monkeypatch) == 1
    captured = capsys.readouterr()
    assert "imported 4 items" in captured.out
    assert "1 conversational, 3 explicit" in captured.out
    assert "line 5: not valid JSON" in captured.err


def test_trl_export_keeps_every_verdict(folder: Path, tmp_path: Path) -> None:
    positions = _judge_all(folder)
    with open_project(folder, user_id="eval1", password=PASSWORD) as project:
        report = export_trl(project.records, tmp_path / "trl.jsonl")
        chat = export_trl(
            project.records, tmp_path / "chat.jsonl", is_conversational=True
        )

    def preferred(index: int, verdict: str) -> tuple[str, str]:
        left, right = list(positions.values())[index]
        better = left if verdict == "a_better" else right
        texts = {
            0: {"chosen": "4 g.", "rejected": "10 g."},
            1: {"chosen": "Yes, in adults.", "rejected": "No."},
        }[index]
        label = "chosen" if better.endswith("-0") else "rejected"
        other = "rejected" if label == "chosen" else "chosen"
        return texts[label], texts[other]

    assert (report.judgements, report.preference_rows, report.no_preference_rows) == (
        4,
        2,
        2,
    )
    rows = [json.loads(x) for x in (tmp_path / "trl.jsonl").read_text().splitlines()]
    chosen0, rejected0 = preferred(0, "a_better")
    chosen1, rejected1 = preferred(1, "b_better")
    assert rows == [
        {
            "prompt": "Max daily paracetamol for adults?",
            "chosen": chosen0,
            "rejected": rejected0,
            "margin": 1.0,
        },
        {
            "prompt": "Is 38.5 C a fever?",
            "chosen": chosen1,
            "rejected": rejected1,
            "margin": 3.0,
        },
    ]
    others = [
        json.loads(x)
        for x in no_preference_path(tmp_path / "trl.jsonl").read_text().splitlines()
    ]
    assert [(o["verdict"], o["rationale"]) for o in others] == [
        ("both_bad", "Not a clinical question."),
        ("cannot_judge", "Not a clinical question."),
    ]
    assert no_preference_path(tmp_path / "trl.jsonl").name == (
        "trl.no_preference.jsonl"
    )

    chat_rows = [
        json.loads(x) for x in (tmp_path / "chat.jsonl").read_text().splitlines()
    ]
    assert chat.preference_rows == 2
    assert chat_rows[1] == {
        "prompt": [{"role": "user", "content": "Is 38.5 C a fever?"}],
        "chosen": [{"role": "assistant", "content": chosen1}],
        "rejected": [{"role": "assistant", "content": rejected1}],
        "margin": 3.0,
    }


def test_full_and_parquet_exports_through_the_cli(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    positions = _judge_all(folder)
    for fmt, name in (("full", "full.jsonl"), ("parquet", "pairs.parquet")):
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        status = main(
            [
                "pairs",
                "export",
                "--format",
                fmt,
                str(tmp_path / name),
                "--project",
                str(folder),
                "--user",
                "eval1",
                "--password-stdin",
            ]
        )
        assert status == 0

    full = [json.loads(x) for x in (tmp_path / "full.jsonl").read_text().splitlines()]
    assert [r["verdict"] for r in full] == [
        "a_better",
        "b_better",
        "both_bad",
        "cannot_judge",
    ]
    assert [r["positions"] for r in full] == list(positions.values())
    assert [r["margin"] for r in full] == [1.0, 3.0, None, None]
    assert full[0]["judge"] == "eval1"
    assert full[0]["line"] == 1
    assert full[0]["prompt"] == [
        {"role": "user", "content": "Max daily paracetamol for adults?"}
    ]

    table = pq.read_table(tmp_path / "pairs.parquet")
    assert table.num_rows == 4
    assert table.column("verdict").to_pylist() == [r["verdict"] for r in full]
    assert table.column("positions").to_pylist() == [r["positions"] for r in full]
    assert table.column("rubrics_json").to_pylist() == ["{}"] * 4
    assert table.column("responses").to_pylist()[0][0]["source_label"] == "chosen"


def test_export_to_a_missing_folder_names_the_file(
    folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "missing" / "trl.jsonl"
    with (
        open_project(folder, user_id="eval1", password=PASSWORD) as project,
        pytest.raises(ExportError) as caught,
    ):
        export_trl(project.records, out)
    assert caught.value.path == str(out)


def test_report_sums_up_each_judge(
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _judge_all(folder)
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    status = main(
        [
            "pairs",
            "report",
            "--project",
            str(folder),
            "--user",
            "eval1",
            "--password-stdin",
        ]
    )
    assert status == 0
    assert capsys.readouterr().out.splitlines() == [
        "judge\tjudged\tgold agreed\tleft/right/none\tunsafe alerts\tminutes",
        "eval1\t4\t0/0\t1/1/2\t0\t0.0",
    ]
