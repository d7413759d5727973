"""Preference pairs for clinical LLM evaluation: import, sides, judgements, queue.

Qt-free: the pair panel in ``widgets/`` and the CLI both build on it.
"""

from app.preference.errors import (
    AlreadyImportedError,
    JudgementError,
    MalformedLineError,
    NoPairsError,
    PreferenceError,
    RationaleRequiredError,
)
from app.preference.importing import ImportReport, import_pairs, mark_gold
from app.preference.judgements import (
    DEFAULT_RUBRICS,
    FLAGS,
    STRENGTHS,
    VERDICTS,
    Judgement,
    alerts,
    check_judgement,
    current_rubrics,
    own_judgement,
    save_judgement,
    save_rubrics,
)
from app.preference.pairs import PairSource, Response, Turn, read_pairs_file
from app.preference.queue import (
    GoldAgreement,
    JudgeQueue,
    JudgeSummary,
    PositionBias,
    QueueEntry,
    gold_agreement,
    judge_summaries,
    position_bias,
)
from app.preference.sides import SideOrder, side_order

__all__ = [
    "DEFAULT_RUBRICS",
    "FLAGS",
    "STRENGTHS",
    "VERDICTS",
    "AlreadyImportedError",
    "GoldAgreement",
    "ImportReport",
    "JudgeQueue",
    "JudgeSummary",
    "Judgement",
    "JudgementError",
    "MalformedLineError",
    "NoPairsError",
    "PairSource",
    "PositionBias",
    "PreferenceError",
    "QueueEntry",
    "RationaleRequiredError",
    "Response",
    "SideOrder",
    "Turn",
    "alerts",
    "check_judgement",
    "current_rubrics",
    "gold_agreement",
    "import_pairs",
    "judge_summaries",
    "mark_gold",
    "own_judgement",
    "position_bias",
    "read_pairs_file",
    "save_judgement",
    "save_rubrics",
    "side_order",
]
