"""Agreement between judges on the same preference pairs, gold accuracy and side bias.

Judges see a pair's responses in their own left/right order, so verdicts are
compared by the response preferred, named by its place in the pair as
imported: ``first`` or ``second``; ``tie``, ``both_bad`` and
``cannot_judge`` stay as they are.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scipy.stats import binomtest

from app.preference.judgements import JUDGEMENT
from app.preference.queue import position_bias
from app.quality.agreement import (
    Agreement,
    MultiRaterAgreement,
    cohen_kappa,
    fleiss_kappa,
)
from app.quality.errors import QualityError
from app.quality.scores import is_adjudicated
from storage.items import list_items
from storage.records import RecordStore, Revision

__all__ = [
    "OUTCOMES",
    "JudgeAgreement",
    "JudgeBias",
    "JudgeGoldScore",
    "PreferenceAgreement",
    "Verdict",
    "judge_adjudicated_scores",
    "judge_biases",
    "judge_gold_scores",
    "preference_agreement",
    "verdicts_of",
]

logger = logging.getLogger(__name__)

#: A pair verdict as compared between judges.
OUTCOMES = ("first", "second", "tie", "both_bad", "cannot_judge")

#: p-value under which a side preference is flagged.
ALPHA = 0.01


@dataclass(frozen=True)
class Verdict:
    """One judge's current verdict on one pair item."""

    item_id: str
    judge: str
    outcome: str
    created_at: str
    seconds: float
    is_gold_item: bool
    is_correct: bool | None  # against the gold answer; None off gold items


@dataclass(frozen=True)
class JudgeAgreement:
    """Cohen's kappa of two judges over the pairs both judged."""

    judge_a: str
    judge_b: str
    agreement: Agreement


@dataclass(frozen=True)
class PreferenceAgreement:
    """Pairwise kappas, and Fleiss' kappa over pairs every judge judged (3+ judges)."""

    pairwise: tuple[JudgeAgreement, ...]
    all_judges: tuple[str, ...]
    fleiss: MultiRaterAgreement | None


@dataclass(frozen=True)
class JudgeBias:
    """How often a judge preferred the left or the right response.

    ``p_value`` is the two-sided exact binomial test of left against right
    with probability 1/2 (ties and other verdicts left out); None without any
    left or right verdict. ``is_flagged`` when ``p_value`` < 0.01.
    """

    judge: str
    left: int
    right: int
    no_preference: int
    p_value: float | None
    is_flagged: bool


@dataclass(frozen=True)
class JudgeGoldScore:
    """A judge's verdicts on gold pairs: accuracy = correct / judged."""

    judge: str
    judged: int
    correct: int

    @property
    def accuracy(self) -> float | None:
        """Correct over judged gold pairs; None before any."""
        return self.correct / self.judged if self.judged else None


def verdicts_of(records: RecordStore, *, adjudicated: bool = False) -> list[Verdict]:
    """Return every judge's current verdict on every pair item.

    Parameters
    ----------
    records
        The signed-in project's record store.
    adjudicated
        False: the judges' verdicts, without the judgements adjudications
        wrote (they copy a judge's body but are the consensus, not the
        adjudicator's rating). True: only those adjudicated verdicts, whose
        ``judge`` is the adjudicator.

    Raises
    ------
    QualityError
        When a judgement names no item or a response that is not in its pair.
    """
    sources = {
        item.record_id: item.body.get("source") or {}
        for item in list_items(records, "pair")
    }
    return [
        _verdict(r, sources)
        for r in records.current(JUDGEMENT)
        if is_adjudicated(r) == adjudicated
    ]


def _verdict(revision: Revision, sources: Mapping[str, Mapping[str, Any]]) -> Verdict:
    source = sources.get(revision.item_id or "")
    if source is None:
        raise QualityError(
            f"judgement {revision.record_id} names no pair item",
            record=revision.record_id,
        )
    responses = [str(r["response_id"]) for r in source.get("responses", [])]
    preferred = revision.body.get("preferred")
    verdict = str(revision.body.get("verdict"))
    if preferred is not None:
        if preferred not in responses[:2]:
            raise QualityError(
                f"judgement {revision.record_id} prefers an unknown response",
                record=revision.record_id,
            )
        outcome = OUTCOMES[responses.index(preferred)]
    elif verdict in OUTCOMES[2:]:
        outcome = verdict
    else:
        raise QualityError(
            f"judgement {revision.record_id} has verdict {verdict!r}",
            record=revision.record_id,
        )
    gold = (source.get("gold") or {}).get("better")
    return Verdict(
        item_id=str(revision.item_id),
        judge=revision.author,
        outcome=outcome,
        created_at=revision.created_at,
        seconds=float(revision.body.get("seconds", 0.0)),
        is_gold_item=gold is not None,
        is_correct=None if gold is None else preferred == gold,
    )


def preference_agreement(verdicts: Sequence[Verdict]) -> PreferenceAgreement:
    """Compare judges on the ordinary (non-gold) pairs they judged in common.

    Parameters
    ----------
    verdicts
        From :func:`verdicts_of`.

    Returns
    -------
    PreferenceAgreement
        Cohen's kappa for every two judges sharing a pair (over
        :data:`OUTCOMES`); Fleiss' kappa over the pairs judged by every judge
        when there are three or more judges and such pairs.
    """
    table: dict[str, dict[str, str]] = {}
    for v in verdicts:
        if not v.is_gold_item:
            table.setdefault(v.judge, {})[v.item_id] = v.outcome
    judges = tuple(sorted(table))

    pairwise = []
    for a, b in itertools.combinations(judges, 2):
        shared = sorted(set(table[a]) & set(table[b]))
        if shared:
            agreement = cohen_kappa(
                [table[a][i] for i in shared],
                [table[b][i] for i in shared],
                categories=OUTCOMES,
            )
            pairwise.append(JudgeAgreement(a, b, agreement))

    fleiss = None
    if len(judges) >= 3:
        common = set.intersection(*(set(table[j]) for j in judges))
        if common:
            rows = [[table[j][i] for j in judges] for i in sorted(common)]
            fleiss = fleiss_kappa(rows, categories=OUTCOMES)
    return PreferenceAgreement(tuple(pairwise), judges, fleiss)


def judge_biases(records: RecordStore, alpha: float = ALPHA) -> list[JudgeBias]:
    """Test every judge's pair verdicts for a left/right side preference."""
    by_judge: dict[str, list[Revision]] = {}
    for revision in records.current(JUDGEMENT):
        # An adjudicated judgement keeps the judge's display order, not the
        # adjudicator's: it says nothing of the adjudicator's side preference.
        if not is_adjudicated(revision):
            by_judge.setdefault(revision.author, []).append(revision)
    found = []
    for judge, revisions in sorted(by_judge.items()):
        sides = position_bias(revisions)
        decided = sides.left + sides.right
        p_value = float(binomtest(sides.left, decided, 0.5).pvalue) if decided else None
        found.append(
            JudgeBias(
                judge=judge,
                left=sides.left,
                right=sides.right,
                no_preference=sides.no_preference,
                p_value=p_value,
                is_flagged=p_value is not None and p_value < alpha,
            )
        )
    flagged = sum(b.is_flagged for b in found)
    logger.info("side bias tested for %d judges, %d flagged", len(found), flagged)
    return found


def judge_gold_scores(verdicts: Sequence[Verdict]) -> list[JudgeGoldScore]:
    """Return every judge's accuracy on gold pairs; a tie or both-bad is wrong."""
    scores: dict[str, list[bool]] = {}
    for v in verdicts:
        if v.is_correct is not None:
            scores.setdefault(v.judge, []).append(v.is_correct)
    return [
        JudgeGoldScore(judge, len(marks), sum(marks))
        for judge, marks in sorted(scores.items())
    ]


def judge_adjudicated_scores(
    verdicts: Sequence[Verdict], adjudicated: Sequence[Verdict]
) -> list[JudgeGoldScore]:
    """Return every judge's agreement with the adjudicated verdict of each pair.

    Parameters
    ----------
    verdicts
        The judges' verdicts (:func:`verdicts_of`).
    adjudicated
        The adjudicated verdicts (``verdicts_of(records, adjudicated=True)``).

    Returns
    -------
    list of JudgeGoldScore
        Per judge (by user ID): the adjudicated pairs they judged and how
        many of their verdicts the adjudication kept (same outcome).
    """
    final = {v.item_id: v.outcome for v in adjudicated}
    marks: dict[str, list[bool]] = {}
    for v in verdicts:
        if v.item_id in final:
            marks.setdefault(v.judge, []).append(v.outcome == final[v.item_id])
    return [
        JudgeGoldScore(judge, len(kept), sum(kept))
        for judge, kept in sorted(marks.items())
    ]
