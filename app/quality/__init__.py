"""Clinical validation and work monitoring: agreement, gold scores, drift, workload.

Qt-free: the quality dashboard in ``widgets/`` and ``haiops quality`` both
build on it.
"""

from app.quality.agreement import (
    WEIGHTS,
    Agreement,
    MultiRaterAgreement,
    cohen_kappa,
    fleiss_kappa,
    ordered_categories,
    ratings_from_csv,
)
from app.quality.drift import (
    ItemTime,
    LabelDrift,
    TimeTrend,
    item_times,
    label_drift,
    labelled_records,
    time_trends,
)
from app.quality.errors import QualityError, RatingsError, RatingsTableError
from app.quality.performance import (
    AssigneeLoad,
    OverdueItem,
    assignee_loads,
    overdue_items,
)
from app.quality.preference import (
    JudgeAgreement,
    JudgeBias,
    JudgeGoldScore,
    PreferenceAgreement,
    judge_adjudicated_scores,
    judge_biases,
    judge_gold_scores,
    preference_agreement,
    verdicts_of,
)
from app.quality.report import QualityReport, build_report, report_lines
from app.quality.rois import (
    RoiAgreement,
    RoiGoldScore,
    roi_adjudicated_scores,
    roi_agreements,
    rois_of,
)
from app.quality.scores import F1Score, is_adjudicated
from app.quality.spans import (
    SpanAgreement,
    SpanGoldScore,
    character_fleiss,
    span_adjudicated_scores,
    span_agreements,
    spans_of,
)

__all__ = [
    "WEIGHTS",
    "Agreement",
    "AssigneeLoad",
    "F1Score",
    "ItemTime",
    "JudgeAgreement",
    "JudgeBias",
    "JudgeGoldScore",
    "LabelDrift",
    "MultiRaterAgreement",
    "OverdueItem",
    "PreferenceAgreement",
    "QualityError",
    "QualityReport",
    "RatingsError",
    "RatingsTableError",
    "RoiAgreement",
    "RoiGoldScore",
    "SpanAgreement",
    "SpanGoldScore",
    "TimeTrend",
    "assignee_loads",
    "build_report",
    "character_fleiss",
    "cohen_kappa",
    "fleiss_kappa",
    "is_adjudicated",
    "item_times",
    "judge_adjudicated_scores",
    "judge_biases",
    "judge_gold_scores",
    "label_drift",
    "labelled_records",
    "ordered_categories",
    "overdue_items",
    "preference_agreement",
    "ratings_from_csv",
    "report_lines",
    "roi_adjudicated_scores",
    "roi_agreements",
    "rois_of",
    "span_adjudicated_scores",
    "span_agreements",
    "spans_of",
    "time_trends",
    "verdicts_of",
]
