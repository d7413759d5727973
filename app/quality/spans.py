"""Agreement between annotators' spans on the same documents, and against gold spans.

Offsets are code points of the document's canonical text (the span record's
``fragments``). Two spans match exactly when their fragments and labels are
equal; leniently when they share at least one code point and have the same
label, each span matched at most once (the pairing with the most shared code
points wins).
"""

from __future__ import annotations

import itertools
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.quality.agreement import (
    Agreement,
    MultiRaterAgreement,
    cohen_kappa,
    fleiss_kappa,
)
from app.quality.errors import QualityError
from app.quality.scores import F1Score, is_adjudicated, match_by_overlap
from storage.records import RecordStore, Revision

__all__ = [
    "NO_LABEL",
    "UNCODED",
    "Span",
    "SpanAgreement",
    "SpanGoldScore",
    "character_fleiss",
    "code_key",
    "span_adjudicated_scores",
    "span_agreement",
    "span_agreements",
    "span_gold_scores",
    "spans_of",
]

logger = logging.getLogger(__name__)

#: The category of "no span here" in label and character kappa.
NO_LABEL = "(none)"
#: The category of a paired span without a code in code agreement.
UNCODED = "(uncoded)"

Fragments = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Span:
    """One span record's current state, as agreement needs it."""

    record_id: str
    item_id: str
    author: str
    label: str
    fragments: Fragments
    is_gold: bool
    code: str | None = None

    def characters(self) -> set[int]:
        """Return the code-point offsets the span covers."""
        return {i for start, end in self.fragments for i in range(start, end)}


@dataclass(frozen=True)
class SpanAgreement:
    """Two annotators' spans on the documents both annotated.

    Parameters
    ----------
    annotator_a, annotator_b
        User IDs; A is the reference of precision and recall.
    documents
        Items on which both have at least one span.
    exact, lenient
        Span-level scores with exact and overlapping matching.
    labels
        Kappa of the labels of spans paired by overlap whatever their labels;
        a span left unpaired counts against :data:`NO_LABEL`. None without
        spans.
    characters
        Kappa over every code point either annotator covered, each rated with
        the label(s) covering it or :data:`NO_LABEL`. None without spans.
    by_label
        Lenient scores per label, by label name.
    codes
        Agreement of the terminology codes of spans paired by overlap where
        at least one side is coded (MedDRA at PT level, see
        :func:`code_key`; an uncoded side counts as :data:`UNCODED`). None
        without such pairs.
    """

    annotator_a: str
    annotator_b: str
    documents: int
    exact: F1Score
    lenient: F1Score
    labels: Agreement | None
    characters: Agreement | None
    by_label: tuple[tuple[str, F1Score], ...] = ()
    codes: Agreement | None = None


@dataclass(frozen=True)
class SpanGoldScore:
    """One annotator's spans scored against the gold spans of the same documents.

    ``label_accuracy`` is the fraction of spans paired with a gold span by
    overlap (whatever the labels) that carry the gold label; None without
    pairs.
    """

    annotator: str
    documents: int
    exact: F1Score
    lenient: F1Score
    label_accuracy: float | None


def spans_of(records: RecordStore, *, adjudicated: bool = False) -> list[Span]:
    """Return every live span record of the project.

    Parameters
    ----------
    records
        The signed-in project's record store.
    adjudicated
        False: the annotators' spans, without the records adjudications
        wrote (they are the consensus, not the adjudicator's rating). True:
        only those adjudicated spans.

    Raises
    ------
    QualityError
        When a span has no item, no label or fragments that are not
        ``[start, end]`` pairs with ``start < end``.
    """
    spans = []
    for revision in records.current("span"):
        if is_adjudicated(revision) == adjudicated:
            spans.append(_span(revision))
    return spans


def _span(revision: Revision) -> Span:
    body = revision.body
    try:
        fragments = tuple((int(s), int(e)) for s, e in body["fragments"])
        label = str(body["label"])
    except (KeyError, TypeError, ValueError) as error:
        raise QualityError(
            f"span {revision.record_id}: {error!r}", record=revision.record_id
        ) from error
    if revision.item_id is None or not fragments or any(s >= e for s, e in fragments):
        raise QualityError(
            f"span {revision.record_id} has no item or empty fragments",
            record=revision.record_id,
        )
    return Span(
        record_id=revision.record_id,
        item_id=revision.item_id,
        author=revision.author,
        label=label,
        fragments=tuple(sorted(fragments)),
        is_gold=body.get("gold") is True,
        code=code_key(body.get("code")),
    )


def code_key(code: object) -> str | None:
    """Return what code agreement compares for a span's ``code`` body.

    MedDRA codes compare at the preferred term (``"meddra PT 10019211"``):
    coders who chose different LLTs of one PT agree, as MedDRA's points to
    consider count it. Other systems compare their ``code``. None when the
    span is not coded.
    """
    if not isinstance(code, dict):
        return None
    system = str(code.get("system", ""))
    if code.get("pt_code") is not None:
        return f"{system} PT {code['pt_code']}".strip()
    if code.get("code") is not None:
        return f"{system} {code['code']}".strip()
    return None


def _by_item(spans: Sequence[Span]) -> dict[str, list[Span]]:
    found: dict[str, list[Span]] = {}
    for span in spans:
        found.setdefault(span.item_id, []).append(span)
    return found


def _exact_matches(reference: Sequence[Span], candidate: Sequence[Span]) -> int:
    keys = Counter((s.fragments, s.label) for s in reference)
    other = Counter((s.fragments, s.label) for s in candidate)
    return sum((keys & other).values())


def _overlap_pairs(
    reference: Sequence[Span], candidate: Sequence[Span], *, same_label: bool
) -> list[tuple[Span, Span]]:
    chars_r = [s.characters() for s in reference]
    chars_c = [s.characters() for s in candidate]
    table = [
        [
            float(len(cr & cc)) if not same_label or r.label == c.label else 0.0
            for c, cc in zip(candidate, chars_c, strict=True)
        ]
        for r, cr in zip(reference, chars_r, strict=True)
    ]
    return [(reference[i], candidate[j]) for i, j in match_by_overlap(table)]


def _label_ratings(
    reference: Sequence[Span], candidate: Sequence[Span]
) -> tuple[list[str], list[str]]:
    """Labels of overlap-paired spans; unpaired spans against NO_LABEL."""
    pairs = _overlap_pairs(reference, candidate, same_label=False)
    a = [r.label for r, _ in pairs]
    b = [c.label for _, c in pairs]
    paired_r = {r.record_id for r, _ in pairs}
    paired_c = {c.record_id for _, c in pairs}
    for span in reference:
        if span.record_id not in paired_r:
            a.append(span.label)
            b.append(NO_LABEL)
    for span in candidate:
        if span.record_id not in paired_c:
            a.append(NO_LABEL)
            b.append(span.label)
    return a, b


def _labels_at(spans: Sequence[Span]) -> dict[int, set[str]]:
    """Return the labels covering each code point the spans cover."""
    found: dict[int, set[str]] = {}
    for span in spans:
        for offset in span.characters():
            found.setdefault(offset, set()).add(span.label)
    return found


def _character_ratings(
    reference: Sequence[Span], candidate: Sequence[Span]
) -> tuple[list[str], list[str]]:
    """Per code point covered by either side: the labels covering it, joined by +."""
    at_r, at_c = _labels_at(reference), _labels_at(candidate)
    offsets = sorted(set(at_r) | set(at_c))
    a = ["+".join(sorted(at_r.get(o, {NO_LABEL}))) for o in offsets]
    b = ["+".join(sorted(at_c.get(o, {NO_LABEL}))) for o in offsets]
    return a, b


def span_agreement(
    spans: Sequence[Span], annotator_a: str, annotator_b: str
) -> SpanAgreement:
    """Compare two annotators' (non-gold) spans on the documents both annotated.

    Parameters
    ----------
    spans
        Spans of the project (:func:`spans_of`).
    annotator_a, annotator_b
        The two user IDs; A is the reference of precision and recall.

    Returns
    -------
    SpanAgreement
        Exact and lenient F1, label kappa and character kappa.
    """
    # Known shortcoming: a document one annotator left without any span is not
    # compared, so "found nothing" and "not done yet" are both left out.
    own = [s for s in spans if not s.is_gold]
    a_items = _by_item([s for s in own if s.author == annotator_a])
    b_items = _by_item([s for s in own if s.author == annotator_b])
    shared = sorted(set(a_items) & set(b_items))

    exact = lenient = F1Score(0, 0, 0)
    per_label: dict[str, F1Score] = {}
    ratings: dict[str, tuple[list[str], list[str]]] = {
        "labels": ([], []),
        "characters": ([], []),
        "codes": ([], []),
    }
    for item_id in shared:
        ref, cand = a_items[item_id], b_items[item_id]
        exact += F1Score(_exact_matches(ref, cand), len(ref), len(cand))
        paired = _overlap_pairs(ref, cand, same_label=True)
        lenient += F1Score(len(paired), len(ref), len(cand))
        for label in {s.label for s in ref} | {s.label for s in cand}:
            per_label[label] = per_label.get(label, F1Score(0, 0, 0)) + F1Score(
                sum(1 for r, _ in paired if r.label == label),
                sum(1 for s in ref if s.label == label),
                sum(1 for s in cand if s.label == label),
            )
        for key, (a, b) in (
            ("labels", _label_ratings(ref, cand)),
            ("characters", _character_ratings(ref, cand)),
            ("codes", _code_ratings(ref, cand)),
        ):
            ratings[key][0].extend(a)
            ratings[key][1].extend(b)

    kappas = {k: cohen_kappa(a, b) if a else None for k, (a, b) in ratings.items()}
    return SpanAgreement(
        annotator_a=annotator_a,
        annotator_b=annotator_b,
        documents=len(shared),
        exact=exact,
        lenient=lenient,
        labels=kappas["labels"],
        characters=kappas["characters"],
        by_label=tuple(sorted(per_label.items())),
        codes=kappas["codes"],
    )


def _code_ratings(
    reference: Sequence[Span], candidate: Sequence[Span]
) -> tuple[list[str], list[str]]:
    """Codes of overlap-paired spans where at least one of the two is coded."""
    pairs = _overlap_pairs(reference, candidate, same_label=False)
    coded = [(r, c) for r, c in pairs if r.code is not None or c.code is not None]
    return (
        [r.code or UNCODED for r, _ in coded],
        [c.code or UNCODED for _, c in coded],
    )


def span_agreements(spans: Sequence[Span]) -> list[SpanAgreement]:
    """Return :func:`span_agreement` for every two annotators sharing a document."""
    authors = sorted({s.author for s in spans if not s.is_gold})
    found = []
    for a, b in itertools.combinations(authors, 2):
        result = span_agreement(spans, a, b)
        if result.documents:
            found.append(result)
    logger.info("span agreement for %d annotator pairs", len(found))
    return found


def character_fleiss(
    spans: Sequence[Span],
) -> tuple[tuple[str, ...], MultiRaterAgreement | None]:
    """Fleiss' kappa of three or more annotators over the characters they covered.

    Only documents every annotator spanned are used; each code point that any
    of them covered is one item, rated by each annotator with the label(s)
    covering it or :data:`NO_LABEL`.

    Returns
    -------
    tuple
        The annotators (sorted) and the agreement; None for fewer than three
        annotators or no document all of them spanned.
    """
    own = [s for s in spans if not s.is_gold]
    authors = tuple(sorted({s.author for s in own}))
    if len(authors) < 3:
        return authors, None
    by_author = {a: _by_item([s for s in own if s.author == a]) for a in authors}
    shared = set.intersection(*(set(items) for items in by_author.values()))
    rows: list[list[str]] = []
    for item_id in sorted(shared):
        covered = [_labels_at(by_author[a][item_id]) for a in authors]
        offsets = sorted(set().union(*(set(c) for c in covered)))
        rows += [
            ["+".join(sorted(c.get(o, {NO_LABEL}))) for c in covered] for o in offsets
        ]
    return authors, fleiss_kappa(rows) if rows else None


def span_gold_scores(spans: Sequence[Span]) -> list[SpanGoldScore]:
    """Score every annotator's spans against the gold spans (body ``"gold": true``).

    Only documents that have gold spans and at least one span of the
    annotator are scored; annotators sorted by user ID.
    """
    gold = _by_item([s for s in spans if s.is_gold])
    return _scores_against(gold, [s for s in spans if not s.is_gold])


def span_adjudicated_scores(
    spans: Sequence[Span], adjudicated: Sequence[Span]
) -> list[SpanGoldScore]:
    """Score every annotator's spans against the adjudicated spans of each document.

    Parameters
    ----------
    spans
        The annotators' spans (:func:`spans_of`); gold spans are left out.
    adjudicated
        The adjudicated spans (``spans_of(records, adjudicated=True)``), the
        reference of precision and recall.

    Returns
    -------
    list of SpanGoldScore
        One per annotator with spans on an adjudicated document, by user ID.
    """
    return _scores_against(_by_item(adjudicated), [s for s in spans if not s.is_gold])


def _scores_against(
    gold: Mapping[str, Sequence[Span]], own: Sequence[Span]
) -> list[SpanGoldScore]:
    """Score each author's spans against the reference spans of the same items."""
    scores = []
    for annotator in sorted({s.author for s in own}):
        mine = _by_item([s for s in own if s.author == annotator])
        shared = sorted(set(gold) & set(mine))
        if not shared:
            continue
        exact = lenient = F1Score(0, 0, 0)
        pairs = same = 0
        for item_id in shared:
            ref, cand = gold[item_id], mine[item_id]
            exact += F1Score(_exact_matches(ref, cand), len(ref), len(cand))
            lenient += F1Score(
                len(_overlap_pairs(ref, cand, same_label=True)), len(ref), len(cand)
            )
            any_label = _overlap_pairs(ref, cand, same_label=False)
            pairs += len(any_label)
            same += sum(1 for r, c in any_label if r.label == c.label)
        scores.append(
            SpanGoldScore(
                annotator=annotator,
                documents=len(shared),
                exact=exact,
                lenient=lenient,
                label_accuracy=same / pairs if pairs else None,
            )
        )
    return scores
