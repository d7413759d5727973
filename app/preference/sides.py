"""Randomised, reproducible left/right order of responses per item and judge."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

# The key is not a secret: the order only has to be unpredictable in practice
# and reproducible from the stored judgement, so that position bias can be
# measured and an audit can recompute every order.
_SIDES_KEY = b"haiops-preference-sides-v1"


@dataclass(frozen=True)
class SideOrder:
    """The display order of one item's responses for one judge.

    ``positions[0]`` is shown on the left (A), ``positions[1]`` on the right
    (B), further ones C, D ... for response sets. ``sides_hmac`` is the
    HMAC-SHA256 (hex) of the item key and the judge ID from which the order
    was drawn; it is recorded in the judgement.
    """

    positions: tuple[str, ...]
    sides_hmac: str


def side_order(item_key: str, judge: str, response_ids: Sequence[str]) -> SideOrder:
    """Draw the display order of ``response_ids`` for ``judge`` on one item.

    Parameters
    ----------
    item_key
        The item's stable key (:attr:`PairSource.item_key`: the import file's
        SHA-256 and line), so the order survives a re-import into another
        project.
    judge
        The judge's user ID.
    response_ids
        The item's response IDs in source order.

    Returns
    -------
    SideOrder
        Responses sorted by an HMAC of item, judge and response: the same for
        the same inputs, unrelated between judges and items.
    """
    if len(set(response_ids)) != len(response_ids):
        raise ValueError("response IDs must be distinct")

    message = f"{item_key}\x1f{judge}".encode()
    digest = hmac.new(_SIDES_KEY, message, hashlib.sha256)
    ranked = sorted(
        response_ids,
        key=lambda rid: hmac.new(
            digest.digest(), rid.encode(), hashlib.sha256
        ).digest(),
    )
    return SideOrder(positions=tuple(ranked), sides_hmac=digest.hexdigest())


def position_letter(index: int) -> str:
    """Return the letter a judge sees for display position ``index`` (0 is A)."""
    return "ABCDEFGHI"[index]
