"""What the feedback report lists: the gaps, most urgent first, and the strengths.

Gap order (the report quotes :data:`GAP_ORDER_JA`):

1. the lowest maturity level first — a level-1 gap blocks every level above it;
2. then mandatory items before optional ones, and heavier weights first;
3. then "most peers do this and you do not": the higher the published implementation rate
   of the viewer's peer group, the earlier (an item whose rate is suppressed comes last);
4. then framework order, so that the list is stable.

Only answered items that are not met (一部実施, 未実施) are gaps; unanswered items belong to
completeness, 該当なし and items of other size classes to nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from mamoru.assessments.library.model import Framework, Item, Text
from mamoru.assessments.library.peers import ItemRate
from mamoru.assessments.library.scoring import Scorecard, Status

GAP_ORDER_JA: Final = (
    "改善が必要な項目は、次の順に並べています。"
    "①成熟度レベルの低い項目（レベル1の未達成はそれより上のレベルすべてを妨げるため）、"
    "②必須の項目、重みの大きい項目、"
    "③同規模の団体の多くが実施しているのに自団体が実施していない項目（実施率の高い順）。"
)


@dataclass(frozen=True, slots=True)
class Gap:
    """An item the organisation has not met, with what to do next."""

    item: Item
    status: Status
    peer_rate: ItemRate | None

    @property
    def what_to_do(self) -> Text:
        return self.item.what_to_do


@dataclass(frozen=True, slots=True)
class Strength:
    """An item the organisation has met, with how common it is among its peers."""

    item: Item
    peer_rate: ItemRate | None


def _rate(rate: ItemRate | None) -> float:
    return -1.0 if rate is None or rate.rate is None else rate.rate


def prioritise_gaps(
    framework: Framework, card: Scorecard, peer_rates: Mapping[str, ItemRate] | None = None
) -> list[Gap]:
    """The organisation's gaps, most urgent first (see the module docstring).

    ``peer_rates`` are the item rates published for the organisation
    (:meth:`PeerStatistics.item_rates`); without them the third key is left out.
    """
    rates = peer_rates or {}
    gaps = [
        Gap(framework.item(item_id), result.status, rates.get(item_id))
        for item_id, result in card.items.items()
        if result.status in (Status.PARTIAL, Status.UNMET)
    ]
    gaps.sort(
        key=lambda gap: (
            gap.item.level,
            not gap.item.mandatory,
            -gap.item.weight,
            -_rate(gap.peer_rate),
            gap.item.order,
        )
    )
    return gaps


def strengths(
    framework: Framework, card: Scorecard, peer_rates: Mapping[str, ItemRate] | None = None
) -> list[Strength]:
    """The items met, the rarest among peers first (a suppressed rate counts as common),
    then the highest level, then framework order."""
    rates = peer_rates or {}
    met = [
        Strength(framework.item(item_id), rates.get(item_id))
        for item_id, result in card.items.items()
        if result.status is Status.MET
    ]

    def rarity(strength: Strength) -> float:
        rate = strength.peer_rate
        return 101.0 if rate is None or rate.rate is None else rate.rate

    met.sort(key=lambda s: (rarity(s), -s.item.level, s.item.order))
    return met
