"""The whole quality report of a project, and its plain-text form for the CLI."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime

from app.quality.agreement import Agreement, MultiRaterAgreement
from app.quality.drift import (
    ALPHA,
    LabelDrift,
    TimeTrend,
    item_times,
    label_drift,
    labelled_records,
    time_trends,
)
from app.quality.performance import (
    AssigneeLoad,
    OverdueItem,
    assignee_loads,
    overdue_items,
)
from app.quality.preference import (
    JudgeBias,
    JudgeGoldScore,
    PreferenceAgreement,
    judge_adjudicated_scores,
    judge_biases,
    judge_gold_scores,
    preference_agreement,
    verdicts_of,
)
from app.quality.rois import (
    RoiAgreement,
    RoiGoldScore,
    roi_adjudicated_scores,
    roi_agreements,
    roi_gold_scores,
    rois_of,
)
from app.quality.scores import F1Score
from app.quality.spans import (
    SpanAgreement,
    SpanGoldScore,
    character_fleiss,
    span_adjudicated_scores,
    span_agreements,
    span_gold_scores,
    spans_of,
)
from storage.progress import Progress
from storage.records import RecordStore

__all__ = [
    "QualityReport",
    "agreement_lines",
    "build_report",
    "number",
    "report_lines",
]

logger = logging.getLogger(__name__)

_STEPS = 6


@dataclass(frozen=True)
class QualityReport:
    """Everything the quality dashboard and ``haiops quality report`` show."""

    today: str
    spans: tuple[SpanAgreement, ...]
    span_annotators: tuple[str, ...]
    span_fleiss: MultiRaterAgreement | None
    rois: tuple[RoiAgreement, ...]
    preference: PreferenceAgreement
    span_gold: tuple[SpanGoldScore, ...]
    roi_gold: tuple[RoiGoldScore, ...]
    judge_gold: tuple[JudgeGoldScore, ...]
    biases: tuple[JudgeBias, ...]
    drift: tuple[LabelDrift, ...]
    trends: tuple[TimeTrend, ...]
    loads: tuple[AssigneeLoad, ...]
    overdue: tuple[OverdueItem, ...]
    #: Each annotator against the adjudicated records (the consensus).
    span_adjudicated: tuple[SpanGoldScore, ...] = ()
    roi_adjudicated: tuple[RoiGoldScore, ...] = ()
    judge_adjudicated: tuple[JudgeGoldScore, ...] = ()


def build_report(
    records: RecordStore,
    *,
    today: date | None = None,
    window_days: int = 7,
    alpha: float = ALPHA,
    progress: Progress | None = None,
) -> QualityReport:
    """Compute agreement, gold scores, drift, bias and workload for a project.

    Parameters
    ----------
    records
        The signed-in project's record store (read only).
    today
        The UTC date for overdue items; today by default.
    window_days
        Width of the label drift windows.
    alpha
        p-value under which drift, trends and side bias are flagged.
    progress
        Told after each of six steps; cancelling stops the work.

    Returns
    -------
    QualityReport
        Every table of the dashboard.

    Raises
    ------
    QualityError
        When a record cannot be read as its type says (the record ID is in
        the detail).
    """
    day = today or datetime.now(UTC).date()

    def step(done: int, message: str) -> None:
        if progress is not None:
            progress.report(done, _STEPS, message)

    step(0, "spans")
    spans = spans_of(records)
    step(1, "rois")
    rois = rois_of(records)
    step(2, "judgements")
    verdicts = verdicts_of(records)
    step(3, "drift")
    drift = label_drift(
        labelled_records(records, verdicts), window_days=window_days, alpha=alpha
    )
    step(4, "times")
    times = item_times(records, verdicts)
    step(5, "workload")
    span_annotators, span_fleiss = character_fleiss(spans)
    report = QualityReport(
        today=day.isoformat(),
        spans=tuple(span_agreements(spans)),
        span_annotators=span_annotators,
        span_fleiss=span_fleiss,
        rois=tuple(roi_agreements(rois)),
        preference=preference_agreement(verdicts),
        span_gold=tuple(span_gold_scores(spans)),
        roi_gold=tuple(roi_gold_scores(rois)),
        judge_gold=tuple(judge_gold_scores(verdicts)),
        biases=tuple(judge_biases(records, alpha)),
        drift=tuple(drift),
        trends=tuple(time_trends(times, alpha)),
        loads=tuple(assignee_loads(records, times, today=day)),
        overdue=tuple(overdue_items(records, today=day)),
        span_adjudicated=tuple(
            span_adjudicated_scores(spans, spans_of(records, adjudicated=True))
        ),
        roi_adjudicated=tuple(
            roi_adjudicated_scores(rois, rois_of(records, adjudicated=True))
        ),
        judge_adjudicated=tuple(
            judge_adjudicated_scores(verdicts, verdicts_of(records, adjudicated=True))
        ),
    )
    step(6, "done")
    logger.info(
        "quality report: %d spans, %d ROIs, %d verdicts",
        len(spans),
        len(rois),
        len(verdicts),
    )
    return report


def number(value: float | None, places: int = 3) -> str:
    """Format a figure to ``places`` decimals, or an en dash when undefined."""
    return "–" if value is None else f"{value:.{places}f}"


def _kappa(agreement: Agreement | MultiRaterAgreement | None) -> str:
    if agreement is None:
        return "–"
    return f"{number(agreement.kappa)} (n={agreement.n_items})"


def _f1(score: F1Score) -> str:
    return f"P {number(score.precision)} R {number(score.recall)} F1 {number(score.f1)}"


def agreement_lines(report: QualityReport) -> list[str]:
    """Return the agreement part of the report as tab-separated lines."""
    lines = [
        "spans: A\tB\tdocuments\texact\tlenient\tlabel kappa\tcharacter kappa\t"
        "code agreement\tlenient F1 by label"
    ]
    for s in report.spans:
        codes = "–"
        if s.codes is not None:
            codes = f"{number(s.codes.percent_agreement, 1)}% {_kappa(s.codes)}"
        per_label = ", ".join(f"{label} {number(f.f1)}" for label, f in s.by_label)
        lines.append(
            f"  {s.annotator_a}\t{s.annotator_b}\t{s.documents}\t{_f1(s.exact)}\t"
            f"{_f1(s.lenient)}\t{_kappa(s.labels)}\t{_kappa(s.characters)}\t"
            f"{codes}\t{per_label}"
        )
    if report.span_fleiss is not None:
        lines.append(
            f"  all {len(report.span_annotators)} annotators: Fleiss' kappa over "
            f"characters {_kappa(report.span_fleiss)}"
        )
    lines.append("ROIs: A\tB\tseries\tdetection\tmean Dice\tlabel kappa\tDice by label")
    for r in report.rois:
        per_label = ", ".join(
            f"{d.label} {number(d.mean_dice)} ({d.pairs})" for d in r.by_label
        )
        lines.append(
            f"  {r.annotator_a}\t{r.annotator_b}\t{r.series}\t{_f1(r.detection)}\t"
            f"{number(r.mean_dice)}\t{_kappa(r.labels)}\t{per_label}"
        )
    lines.append("pairs: judge A\tjudge B\tagreement\tkappa")
    lines += [
        f"  {p.judge_a}\t{p.judge_b}\t{number(p.agreement.percent_agreement, 1)}%\t"
        f"{_kappa(p.agreement)}"
        for p in report.preference.pairwise
    ]
    if report.preference.fleiss is not None:
        lines.append(
            f"  all {len(report.preference.all_judges)} judges: Fleiss' kappa "
            f"{_kappa(report.preference.fleiss)}"
        )
    return lines


def report_lines(report: QualityReport) -> list[str]:
    """Return the whole report as tab-separated lines, section by section."""
    lines = [f"quality report of {report.today} (UTC)", *agreement_lines(report)]
    lines.append("gold: annotator\tkind\tscored on\tscore\tlabel accuracy")
    lines += [
        f"  {g.annotator}\tspans\t{g.documents}\t{_f1(g.lenient)}\t"
        f"{number(g.label_accuracy)}"
        for g in report.span_gold
    ]
    lines += [
        f"  {g.annotator}\tROIs\t{g.series}\t{_f1(g.detection)}\t"
        f"{number(g.label_accuracy)}"
        for g in report.roi_gold
    ]
    lines += [
        f"  {g.judge}\tpairs\t{g.judged}\taccuracy {number(g.accuracy)}\t–"
        for g in report.judge_gold
    ]
    lines += _adjudicated_lines(report)
    lines.append("side bias: judge\tleft\tright\tnone\tp\tflag")
    lines += [
        f"  {b.judge}\t{b.left}\t{b.right}\t{b.no_preference}\t"
        f"{number(b.p_value, 4)}\t{'FLAG' if b.is_flagged else ''}"
        for b in report.biases
    ]
    lines.append("drift: annotator\ttype\twindow\tlabels\tp\tflag")
    lines += [
        f"  {d.annotator}\t{d.record_type}\t{d.window_start}..{d.window_end}\t"
        f"{d.n_labels}\t{number(d.p_value, 4)}\t{'FLAG' if d.is_flagged else ''}"
        for d in report.drift
    ]
    lines.append("time: person\titems\tmedian s\ttrend s/item\tp\tflag")
    lines += [
        f"  {t.person}\t{t.items}\t{number(t.median_seconds, 1)}\t"
        f"{number(t.slope, 1)}\t{number(t.p_value, 4)}\t"
        f"{'FLAG' if t.is_flagged else ''}"
        for t in report.trends
    ]
    lines.append("workload: assignee\titems\tper status\toverdue\tmedian s")
    lines += [
        f"  {a.assignee or '(unassigned)'}\t{a.total}\t"
        f"{', '.join(f'{s} {n}' for s, n in a.counts)}\t{a.overdue}\t"
        f"{number(a.median_seconds, 1)}"
        for a in report.loads
    ]
    lines.append("overdue: title\tassignee\tstatus\tdue\tdays")
    lines += [
        f"  {o.title}\t{o.assignee or '(unassigned)'}\t{o.status}\t{o.due}\t"
        f"{o.days_overdue}"
        for o in report.overdue
    ]
    return lines


def _adjudicated_lines(report: QualityReport) -> list[str]:
    """Return each annotator against the adjudicated records; none without any."""
    lines = [
        f"  {g.annotator}\tspans\t{g.documents}\t{_f1(g.lenient)}\t"
        f"{number(g.label_accuracy)}"
        for g in report.span_adjudicated
    ]
    lines += [
        f"  {g.annotator}\tROIs\t{g.series}\t{_f1(g.detection)}\t"
        f"{number(g.label_accuracy)}"
        for g in report.roi_adjudicated
    ]
    lines += [
        f"  {g.judge}\tpairs\t{g.judged}\tkept {number(g.accuracy)}\t–"
        for g in report.judge_adjudicated
    ]
    if not lines:
        return []
    header = "adjudicated: annotator\tkind\tscored on\tscore\tlabel accuracy"
    return [header, *lines]
