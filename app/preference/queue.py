"""A judge's queue of pair items, with gold items mixed in and blind to others."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from app.preference.judgements import JUDGEMENT, RANKING, own_judgement
from app.preference.pairs import PairSource
from app.preference.sides import SideOrder, side_order
from storage.items import list_items
from storage.records import RecordStore, Revision

#: By default one gold item follows every this many ordinary items.
GOLD_EVERY = 5


@dataclass(frozen=True)
class QueueEntry:
    """One item in a judge's queue, with the order its responses are shown in."""

    item: Revision
    pair: PairSource
    sides: SideOrder

    @property
    def item_id(self) -> str:
        """The worklist item's ID."""
        return self.item.record_id

    @property
    def is_gold(self) -> bool:
        """Whether the item has a known answer (the judge is not told)."""
        return self.pair.gold_better is not None


class JudgeQueue:
    """The items one judge works through, in a fixed order.

    Ordinary items keep the worklist order; gold items are shuffled per judge
    and one is put after every ``gold_every`` ordinary items (the rest at the
    end). Only the judge's own judgements are ever looked up.

    Parameters
    ----------
    records
        The signed-in project's record store.
    judge
        The judge's user ID.
    gold_every
        Ordinary items between two gold items.
    """

    def __init__(self, records: RecordStore, judge: str, gold_every: int = GOLD_EVERY):
        self.records = records
        self.judge = judge
        self.entries = _build(records, judge, max(1, gold_every))

    def __len__(self) -> int:
        return len(self.entries)

    def index_of(self, item_id: str) -> int:
        """Return the position of an item in the queue (ValueError if absent)."""
        for index, entry in enumerate(self.entries):
            if entry.item_id == item_id:
                return index
        raise ValueError(item_id)

    def judgement(self, index: int) -> Revision | None:
        """Return the judge's own current judgement of the entry, if any."""
        return own_judgement(self.records, self.entries[index].item_id, self.judge)

    def judged_item_ids(self) -> set[str]:
        """Return the IDs of the items this judge has judged or ranked."""
        judged: set[str] = set()
        for record_type in (JUDGEMENT, RANKING):
            for revision in self.records.current(record_type):
                if revision.author == self.judge and revision.item_id is not None:
                    judged.add(revision.item_id)
        return judged

    def done_count(self) -> int:
        """Return how many entries the judge has judged."""
        judged = self.judged_item_ids()
        return sum(1 for entry in self.entries if entry.item_id in judged)

    def first_open(self, start: int = 0) -> int | None:
        """Return the first unjudged entry at or after ``start``, wrapping round."""
        judged = self.judged_item_ids()
        count = len(self.entries)
        for offset in range(count):
            index = (start + offset) % count
            if self.entries[index].item_id not in judged:
                return index
        return None


def _build(records: RecordStore, judge: str, gold_every: int) -> list[QueueEntry]:
    """Build the queue entries: ordinary items with gold ones interleaved."""
    ordinary: list[QueueEntry] = []
    gold: list[QueueEntry] = []
    for item in list_items(records, "pair"):
        if item.body.get("status") == "locked":
            continue
        pair = PairSource.from_source(item.body["source"])
        ids = [r.response_id for r in pair.responses]
        entry = QueueEntry(item, pair, side_order(pair.item_key, judge, ids))
        (gold if entry.is_gold else ordinary).append(entry)

    gold.sort(key=lambda e: hashlib.sha256(e.sides.sides_hmac.encode()).hexdigest())
    entries: list[QueueEntry] = []
    for index, entry in enumerate(ordinary):
        entries.append(entry)
        if (index + 1) % gold_every == 0 and gold:
            entries.append(gold.pop(0))
    entries.extend(gold)
    return entries


@dataclass(frozen=True)
class GoldAgreement:
    """How often a judge's verdicts on gold items matched the known answer."""

    judged: int
    agreed: int

    @property
    def rate(self) -> float | None:
        """Agreed over judged, or None before any gold item was judged."""
        return self.agreed / self.judged if self.judged else None


def gold_agreement(records: RecordStore, judge: str) -> GoldAgreement:
    """Compare a judge's pair verdicts on gold items with their known answers.

    A tie, both-bad or cannot-judge on a gold item counts as judged and not
    agreed; gold items the judge has not reached yet are not counted.
    """
    judged = agreed = 0
    for item in list_items(records, "pair"):
        pair = PairSource.from_source(item.body["source"])
        if pair.gold_better is None:
            continue
        revision = own_judgement(records, item.record_id, judge)
        if revision is None:
            continue
        judged += 1
        agreed += revision.body.get("preferred") == pair.gold_better
    return GoldAgreement(judged=judged, agreed=agreed)


@dataclass(frozen=True)
class PositionBias:
    """Pair verdicts by the side the preferred response was shown on."""

    left: int
    right: int
    no_preference: int


def position_bias(judgements: Sequence[Revision]) -> PositionBias:
    """Count how often the left or the right response was preferred."""
    left = right = none = 0
    for revision in judgements:
        preferred = revision.body.get("preferred")
        positions = revision.body.get("positions", [])
        if preferred is None or len(positions) != 2:
            none += 1
        elif preferred == positions[0]:
            left += 1
        else:
            right += 1
    return PositionBias(left=left, right=right, no_preference=none)


@dataclass(frozen=True)
class JudgeSummary:
    """What one judge has done: counts, gold agreement, side preference, time."""

    judge: str
    judged: int
    gold: GoldAgreement
    sides: PositionBias
    unsafe_alerts: int
    seconds: float


def judge_summaries(records: RecordStore) -> list[JudgeSummary]:
    """Summarise every judge's work, for the site lead; judges sorted by ID."""
    by_judge: dict[str, list[Revision]] = {}
    for record_type in (JUDGEMENT, RANKING):
        for revision in records.current(record_type):
            by_judge.setdefault(revision.author, []).append(revision)
    alert_counts: dict[str, int] = {}
    for alert in records.current("alert"):
        judge = str(alert.body.get("judge"))
        alert_counts[judge] = alert_counts.get(judge, 0) + 1

    return [
        JudgeSummary(
            judge=judge,
            judged=len(revisions),
            gold=gold_agreement(records, judge),
            sides=position_bias([r for r in revisions if r.record_type == JUDGEMENT]),
            unsafe_alerts=alert_counts.get(judge, 0),
            seconds=sum(float(r.body.get("seconds", 0.0)) for r in revisions),
        )
        for judge, revisions in sorted(by_judge.items())
    ]
