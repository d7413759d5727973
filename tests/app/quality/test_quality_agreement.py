"""Kappa, weighted kappa and Fleiss' kappa against textbook tables and real ratings."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from quality_support import run_cli
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

from app.quality.agreement import (
    cohen_kappa,
    fleiss_kappa,
    ordered_categories,
    ratings_from_csv,
)
from app.quality.errors import RatingsError, RatingsTableError

SCALE = "ABCD"


def _hand_kappa(table: np.ndarray, weights: str | None) -> float:
    """Kappa as 1 - weighted observed / weighted chance disagreement."""
    k = table.shape[0]
    distance = np.abs(np.subtract.outer(np.arange(k), np.arange(k))).astype(float)
    w = {None: (distance > 0) * 1.0, "linear": distance, "quadratic": distance**2}[
        weights
    ]
    n = table.sum()
    chance = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    return float(1 - (w * table).sum() / (w * chance).sum())


@pytest.fixture(scope="module")
def crade(shared_data: Path) -> list[dict[str, str]]:
    """The real JMED-LLM CRADE questions: 100 rows, answers A to D (ordered)."""
    path = shared_data / "ja_case_reports" / "crade.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _perturbed(answers: list[str]) -> list[str]:
    """Rater B: one step up the scale on every third row, one down on every 7th."""
    out = []
    for i, answer in enumerate(answers):
        k = SCALE.index(answer)
        if i % 3 == 0:
            k = min(k + 1, 3)
        elif i % 7 == 0:
            k = max(k - 1, 0)
        out.append(SCALE[k])
    return out


def test_two_by_two_textbook_table() -> None:
    # 50 proposals: both yes 20, A yes B no 5, A no B yes 10, both no 15;
    # p_o = 0.7, p_e = 0.5, kappa = 0.4 (the standard worked example).
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15

    result = cohen_kappa(a, b)

    assert result.categories == ("no", "yes")
    assert result.confusion == ((15, 10), (5, 20))
    assert result.n_items == 50
    assert result.observed == pytest.approx(0.7)
    assert result.expected == pytest.approx(0.5)
    assert round(result.kappa or 0, 3) == 0.400
    assert result.percent_agreement == pytest.approx(70.0)


def test_fleiss_textbook_table() -> None:
    # Fleiss (1971) as usually shown: 10 subjects, 14 raters, 5 categories.
    counts = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    ratings = [[str(c) for c, n in enumerate(row) for _ in range(n)] for row in counts]

    result = fleiss_kappa(ratings)

    assert result.n_items == 10
    assert result.n_raters == 14
    assert result.category_totals == (20, 28, 39, 21, 32)
    assert round(result.observed, 3) == 0.378
    assert round(result.expected, 3) == 0.213
    assert round(result.kappa or 0, 3) == 0.210
    assert round(float(statsmodels_fleiss(np.array(counts))), 3) == 0.210


def test_crade_answers_against_a_perturbed_rater(crade: list[dict[str, str]]) -> None:
    a = [row["answer"] for row in crade]
    b = _perturbed(a)
    table = np.zeros((4, 4), dtype=int)
    for x, y in zip(a, b, strict=True):
        table[SCALE.index(x), SCALE.index(y)] += 1

    plain = cohen_kappa(a, b)
    linear = cohen_kappa(a, b, weights="linear")
    quadratic = cohen_kappa(a, b, weights="quadratic")

    assert len(crade) == 100
    assert plain.categories == ("A", "B", "C", "D")
    assert plain.confusion == tuple(tuple(int(v) for v in row) for row in table)
    assert plain.confusion == (
        (16, 9, 0, 0),
        (2, 15, 8, 0),
        (0, 3, 14, 8),
        (0, 0, 2, 23),
    )
    assert plain.percent_agreement == pytest.approx(68.0)
    assert plain.expected == pytest.approx(0.25)
    assert round(plain.kappa or 0, 3) == round(_hand_kappa(table, None), 3) == 0.573
    assert round(linear.kappa or 0, 3) == round(_hand_kappa(table, "linear"), 3)
    assert round(linear.kappa or 0, 3) == 0.743
    assert round(quadratic.kappa or 0, 3) == 0.871
    assert round(_hand_kappa(table, "quadratic"), 3) == 0.871


def test_the_scale_order_changes_only_weighted_kappa(
    crade: list[dict[str, str]],
) -> None:
    a = [row["answer"] for row in crade]
    b = _perturbed(a)

    shuffled = ("C", "A", "D", "B")
    plain = cohen_kappa(a, b, categories=shuffled)
    linear = cohen_kappa(a, b, categories=shuffled, weights="linear")

    assert round(plain.kappa or 0, 3) == 0.573
    assert round(linear.kappa or 0, 3) != 0.743


def test_kappa_is_undefined_when_chance_agreement_is_perfect() -> None:
    result = cohen_kappa(["B", "B", "B"], ["B", "B", "B"])

    assert result.kappa is None
    assert result.percent_agreement == pytest.approx(100.0)


def test_fleiss_on_crade_with_three_raters(crade: list[dict[str, str]]) -> None:
    a = [row["answer"] for row in crade]
    b = _perturbed(a)
    c = [SCALE[(SCALE.index(x) + (i % 5 == 0)) % 4] for i, x in enumerate(a)]
    rows = [list(r) for r in zip(a, b, c, strict=True)]
    counts = np.array([[row.count(s) for s in SCALE] for row in rows], dtype=float)
    p_i = ((counts**2).sum(axis=1) - 3) / 6
    p_j = counts.sum(axis=0) / counts.sum()
    hand = (p_i.mean() - (p_j**2).sum()) / (1 - (p_j**2).sum())

    result = fleiss_kappa(rows)

    assert round(result.kappa or 0, 3) == round(float(hand), 3)
    assert round(result.observed, 3) == round(float(p_i.mean()), 3)
    # An independent implementation agrees too.
    assert round(result.kappa or 0, 3) == round(float(statsmodels_fleiss(counts)), 3)


def test_numbers_sort_by_value() -> None:
    assert ordered_categories(["10", "2", "1"]) == ("1", "2", "10")
    assert ordered_categories(["b", "a"]) == ("a", "b")


def test_bad_ratings_are_refused() -> None:
    with pytest.raises(RatingsError, match="different numbers of items"):
        cohen_kappa(["A", "B"], ["A"])
    with pytest.raises(RatingsError, match="not among the categories"):
        cohen_kappa(["A", "E"], ["A", "B"], categories=SCALE)
    with pytest.raises(RatingsError, match="weights"):
        cohen_kappa(["A"], ["A"], weights="cubic")
    with pytest.raises(RatingsError, match="same number"):
        fleiss_kappa([["A", "B", "C"], ["A", "B"]])


def _write_table(crade: list[dict[str, str]], path: Path) -> Path:
    answers = [row["answer"] for row in crade]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["tag", "answer", "second_reader"])
        for row, other in zip(crade, _perturbed(answers), strict=True):
            writer.writerow([row["tag"], row["answer"], other])
    return path


def test_table_reading_names_the_row_and_column(
    crade: list[dict[str, str]], tmp_path: Path
) -> None:
    path = _write_table(crade, tmp_path / "ratings.csv")
    a, b = ratings_from_csv(path, "answer", "second_reader")
    assert (len(a), a[:3], b[:3]) == (100, ["A", "A", "A"], ["B", "A", "A"])

    with pytest.raises(RatingsTableError, match="no column 'third'") as missing:
        ratings_from_csv(path, "answer", "third")
    assert missing.value.path == str(path)

    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = "disease,,B"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(RatingsTableError, match="row 5 has an empty rating") as empty:
        ratings_from_csv(path, "answer", "second_reader")
    assert empty.value.fields["row"] == 5


def test_cli_kappa_prints_the_confusion_matrix(
    crade: list[dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write_table(crade, tmp_path / "ratings.csv")

    status = run_cli(
        [
            "quality",
            "kappa",
            str(path),
            "--rater-a",
            "answer",
            "--rater-b",
            "second_reader",
            "--weights",
            "linear",
        ]
    )

    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    assert lines[:4] == [
        "items\t100",
        "agreement\t68.0%",
        "chance agreement\t25.0%",
        "linear weighted kappa\t0.743",
    ]
    assert lines[5:] == [
        "A\t16\t9\t0\t0",
        "B\t2\t15\t8\t0",
        "C\t0\t3\t14\t8",
        "D\t0\t0\t2\t23",
    ]


def test_cli_kappa_reports_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "none.csv"
    with pytest.raises(RatingsTableError) as error:
        run_cli(["quality", "kappa", str(missing), "--rater-a", "a", "--rater-b", "b"])

    assert error.value.path == str(missing)
    assert "No such file" in error.value.detail
