"""Judgements of pairs and rankings of response sets, checked and stored as records."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.preference.errors import JudgementError, RationaleRequiredError
from storage.records import RecordStore, Revision

logger = logging.getLogger(__name__)

#: Verdicts on a pair; ``a_better`` and ``b_better`` name display positions.
VERDICTS = ("a_better", "b_better", "tie", "both_bad", "cannot_judge")
#: Verdicts on a set of three or more responses.
RANKING_VERDICTS = ("ranked", "cannot_judge")
#: How much better the preferred response is; the export turns it into a margin.
STRENGTHS = ("slight", "clear", "strong")
#: Flags a judge can raise on one response.
FLAGS = ("hallucination", "unsafe_advice", "outdated_guidance")
#: Rubric names used until a project saves its own.
DEFAULT_RUBRICS = ("clinical_accuracy", "safety", "helpfulness", "completeness")
#: Rubric scores run from 1 (worst) to 5 (best).
SCORE_RANGE = (1, 5)

JUDGEMENT = "judgement"
RANKING = "ranking"
ALERT = "alert"
RUBRIC_SET = "rubric_set"


@dataclass
class Judgement:
    """One judge's decision on one item (pair or response set).

    Parameters
    ----------
    item_id
        The worklist item judged.
    positions
        Response IDs in the order shown, left (A) first.
    sides_hmac
        The HMAC the order was drawn from (:func:`app.preference.sides.side_order`).
    verdict
        One of :data:`VERDICTS` for a pair, :data:`RANKING_VERDICTS` for a set.
    strength
        One of :data:`STRENGTHS`; required for ``a_better``/``b_better``.
    ranking
        For a set: every response ID, best first.
    rubrics
        Scores per response ID and rubric name, 1 to 5; unscored ones left out.
    flags
        Flags per response ID, from :data:`FLAGS`.
    rationale
        Free text; required for ``cannot_judge`` (the reason) and for any
        ``unsafe_advice`` flag.
    seconds
        Time the judge spent on the item, in seconds, over all visits.
    """

    item_id: str
    positions: Sequence[str]
    sides_hmac: str
    verdict: str | None = None
    strength: str | None = None
    ranking: Sequence[str] = ()
    rubrics: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    flags: Mapping[str, Sequence[str]] = field(default_factory=dict)
    rationale: str = ""
    seconds: float = 0.0

    @property
    def is_ranking(self) -> bool:
        """Whether this judges a set of three or more responses."""
        return len(self.positions) > 2

    @property
    def record_type(self) -> str:
        """``judgement`` for a pair, ``ranking`` for a set."""
        return RANKING if self.is_ranking else JUDGEMENT

    def preferred(self) -> tuple[str | None, str | None]:
        """Return (better, worse) response IDs of a pair verdict, else (None, None)."""
        if self.verdict == "a_better":
            return self.positions[0], self.positions[1]
        if self.verdict == "b_better":
            return self.positions[1], self.positions[0]
        return None, None

    def body(self, judge: str) -> dict[str, Any]:
        """Return the record body: every field plus the resolved preference."""
        better, worse = self.preferred()
        return {
            "judge": judge,
            "verdict": self.verdict,
            "strength": self.strength if better is not None else None,
            "preferred": better,
            "rejected": worse,
            "ranking": list(self.ranking),
            "rubrics": {rid: dict(s) for rid, s in self.rubrics.items() if s},
            "flags": {rid: sorted(f) for rid, f in self.flags.items() if f},
            "rationale": self.rationale,
            "positions": list(self.positions),
            "sides_hmac": self.sides_hmac,
            "seconds": round(self.seconds, 1),
        }

    @classmethod
    def from_body(cls, item_id: str, body: Mapping[str, Any]) -> Judgement:
        """Rebuild a judgement from a stored record body."""
        return cls(
            item_id=item_id,
            positions=list(body["positions"]),
            sides_hmac=str(body["sides_hmac"]),
            verdict=body.get("verdict"),
            strength=body.get("strength"),
            ranking=list(body.get("ranking", [])),
            rubrics={k: dict(v) for k, v in body.get("rubrics", {}).items()},
            flags={k: list(v) for k, v in body.get("flags", {}).items()},
            rationale=str(body.get("rationale", "")),
            seconds=float(body.get("seconds", 0.0)),
        )


def check_judgement(judgement: Judgement, rubric_names: Sequence[str]) -> None:
    """Raise if the judgement is incomplete or inconsistent.

    Raises
    ------
    JudgementError
        Unknown verdict, strength, flag, rubric or response; a missing
        strength; a ranking that is not every response once.
    RationaleRequiredError
        ``cannot_judge`` or an ``unsafe_advice`` flag without a rationale.
    """
    # Known shortcoming: the ``problem`` texts are English; only the error
    # templates around them are translated.
    j = judgement
    if len(j.positions) < 2:
        raise JudgementError("fewer than two positions", problem="no responses")
    allowed = RANKING_VERDICTS if j.is_ranking else VERDICTS
    if j.verdict not in allowed:
        raise JudgementError(str(j.verdict), problem="choose a verdict")
    if j.verdict in ("a_better", "b_better") and j.strength not in STRENGTHS:
        raise JudgementError(str(j.strength), problem="choose a strength")
    if j.verdict == "ranked" and sorted(j.ranking) != sorted(j.positions):
        raise JudgementError(
            "ranking is not a permutation", problem="rank every response once"
        )
    if not j.rationale.strip() and j.verdict == "cannot_judge":
        raise RationaleRequiredError("cannot_judge", problem="you cannot judge")
    _check_scores_and_flags(j, rubric_names)


def _check_scores_and_flags(j: Judgement, rubric_names: Sequence[str]) -> None:
    """Raise for scores or flags on unknown responses, rubrics or flags."""
    for rid, scores in j.rubrics.items():
        if rid not in j.positions:
            raise JudgementError(rid, problem="a score names an unknown response")
        for name, score in scores.items():
            if name not in rubric_names:
                raise JudgementError(name, problem=f"unknown rubric {name}")
            if not SCORE_RANGE[0] <= score <= SCORE_RANGE[1]:
                raise JudgementError(str(score), problem="scores run from 1 to 5")
    for rid, flags in j.flags.items():
        if rid not in j.positions:
            raise JudgementError(rid, problem="a flag names an unknown response")
        unknown = set(flags) - set(FLAGS)
        if unknown:
            raise JudgementError(str(unknown), problem="unknown flag")
        if "unsafe_advice" in flags and not j.rationale.strip():
            raise RationaleRequiredError(rid, problem="a response is flagged unsafe")


def own_judgement(records: RecordStore, item_id: str, judge: str) -> Revision | None:
    """Return the judge's current judgement or ranking of an item, if any.

    Other judges' records are never returned: judges stay blind to each other.
    """
    for record_type in (JUDGEMENT, RANKING):
        for revision in records.current(record_type, item_id=item_id):
            if revision.author == judge and revision.body.get("judge") == judge:
                return revision
    return None


def save_judgement(
    records: RecordStore,
    judgement: Judgement,
    *,
    judge: str,
    rubric_names: Sequence[str],
) -> Revision:
    """Check and store a judgement, revising the judge's earlier one of the item.

    A response newly flagged ``unsafe_advice`` also gets an ``alert`` record
    for the site lead: ``{"kind": "unsafe_response", "item_id", "judge",
    "response_id"}``, once per judge and response.

    Parameters
    ----------
    records
        The signed-in project's record store; its user must be ``judge``.
    judgement
        The decision to store.
    judge
        The judge's user ID, kept in the body as well as the revision author.
    rubric_names
        The project's rubric names (:func:`current_rubrics`).

    Returns
    -------
    Revision
        The stored revision of type ``judgement`` or ``ranking``.
    """
    check_judgement(judgement, rubric_names)
    body = judgement.body(judge)

    # One transaction: an unsafe flag is never stored without its alert.
    with records.transaction():
        revision = _write(records, judgement, body, judge)
        _raise_alerts(records, judgement, judge)
    logger.info(
        "saved %s, %.0f s on the item", judgement.record_type, judgement.seconds
    )
    return revision


def _write(
    records: RecordStore, judgement: Judgement, body: dict[str, Any], judge: str
) -> Revision:
    """Create the judge's record of the item, or revise the one there is."""
    existing = own_judgement(records, judgement.item_id, judge)
    if existing is None:
        return records.create(judgement.record_type, body, item_id=judgement.item_id)
    if existing.record_type != judgement.record_type:
        raise JudgementError(existing.record_type, problem="the item changed kind")
    return records.revise(existing.record_id, body, reason="judgement changed")


def _raise_alerts(records: RecordStore, judgement: Judgement, judge: str) -> None:
    """Create one alert per response newly flagged unsafe by this judge."""
    alerted = {
        a.body.get("response_id")
        for a in records.current(ALERT, item_id=judgement.item_id)
        if a.body.get("judge") == judge
    }
    for rid, flags in sorted(judgement.flags.items()):
        if "unsafe_advice" not in flags or rid in alerted:
            continue
        body = {
            "kind": "unsafe_response",
            "item_id": judgement.item_id,
            "judge": judge,
            "response_id": rid,
        }
        records.create(ALERT, body, item_id=judgement.item_id)
        logger.warning("unsafe response flagged: alert raised for the site lead")


def current_rubrics(records: RecordStore) -> tuple[str, ...]:
    """Return the project's rubric names, or :data:`DEFAULT_RUBRICS` if unset."""
    sets = records.current(RUBRIC_SET)
    if not sets:
        return DEFAULT_RUBRICS
    return tuple(str(name) for name in sets[-1].body["names"])


def save_rubrics(
    records: RecordStore, names: Sequence[str], *, reason: str | None = None
) -> Revision:
    """Set the project's rubric names (one to eight distinct, non-empty names)."""
    # Known shortcoming: storage.permissions has no rule for rubric_set yet,
    # so any annotator, not only a site lead, may rename the rubrics.
    cleaned = [name.strip() for name in names]
    if (
        not 1 <= len(cleaned) <= 8
        or not all(cleaned)
        or len(set(cleaned)) < len(cleaned)
    ):
        raise JudgementError(str(names), problem="rubric names must be 1 to 8 distinct")
    sets = records.current(RUBRIC_SET)
    if sets:
        return records.revise(sets[-1].record_id, {"names": cleaned}, reason=reason)
    return records.create(RUBRIC_SET, {"names": cleaned}, reason=reason)


def alerts(records: RecordStore) -> list[Revision]:
    """Return the open unsafe-response alerts of the project, oldest first."""
    return [
        a for a in records.current(ALERT) if a.body.get("kind") == "unsafe_response"
    ]
