"""Scores of one organisation's answers: pure functions, no database.

The rule (quoted by the feedback report; :data:`SCORING_RULE_JA` is its Japanese text):

* **Which items count.** Only the items that apply to the organisation's size class
  (``Item.size_classes``); the others are left out of every figure. An answer to an item
  that does not apply is ignored.
* **Groups.** Each item counts once in the overall score, once in each CSF 2.0 function and
  category its mappings resolve to (an item mapped to GV.OC-01 and GV.OC-03 counts once in
  GV.OC), and once in its guideline chapter.
* **Answers.** Every answer option carries a credit (実施 1, 一部実施 0.5, 未実施 0 in the
  shipped frameworks) and says whether the measure is *met*: only 実施 is met; 一部実施 is
  not met (it still earns half the credit in coverage). 該当なし takes the item out of
  every denominator (coverage and gating alike) but counts as answered.
* **Coverage** (実施率, %) = Σ weight × credit / Σ weight over the *answered*, applicable
  items that are not 該当なし. Unanswered items are not counted as zero: they lower
  **completeness** (回答率, % = answered / applicable items, 該当なし included in both)
  instead. With nothing answered, coverage is ``None`` (not 0).
* **Maturity level** (成熟度レベル, 0–3) is gated: level L is reached when every applicable
  item of level L or below, except those answered 該当なし, is met. The group's level is
  the highest level L reached among the levels its items have (a group that asks only
  level-1 questions cannot claim level 3); 0 when none is reached. An unanswered
  item is *not met* for gating, because nobody has confirmed it; ``potential_level`` is
  the level the group would reach if every unanswered item were met, so a report can say
  the level is provisional. A group whose items are all 該当なし (or that has none) has no
  level (``None``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from mamoru.assessments.library.csf import FUNCTION_ORDER, CsfCatalogue
from mamoru.assessments.library.errors import AnswerError
from mamoru.assessments.library.loader import default_catalogue
from mamoru.assessments.library.model import MATURITY_LEVELS, SIZE_CLASSES, Framework, Item

SCORING_RULE_JA: Final = (
    "【評価の方法】"
    "団体の種別（都道府県・政令指定都市・中核市・市・特別区・町・村）に当てはまる項目だけを評価します。"
    "各項目は全体、対応する NIST CSF 2.0 の機能とカテゴリ、ガイドラインの章のそれぞれで一度ずつ数えます。"
    "「実施」は達成、「一部実施」は未達成（実施率では 0.5 として数えます）、「未実施」は未達成です。"
    "「該当なし」と回答した項目は、実施率と成熟度の判定のどちらの分母からも除きます。"
    "実施率は、回答済みで該当なし以外の項目について、重み×点数の合計を重みの合計で割った割合です。"
    "未回答の項目は 0 点とはせず、回答率（回答済みの項目の割合）として別に示します。"
    "成熟度レベル（0〜3）は段階的に判定します。"
    "あるレベルは、そのレベル以下のすべての項目（該当なしを除く）が「実施」のときに限り達成となり、"
    "その分野で問われているレベルのうち達成した最も高いものを成熟度とします（達成したレベルがなければ 0）。"
    "未回答の項目は実施を確認できないため未達成として扱い、すべて実施と回答した場合に到達しうるレベルを併せて示します。"
)

OVERALL: Final = "overall"


class Status(StrEnum):
    """What an answer makes of an applicable item."""

    MET = "met"  # an option with met: true (実施)
    PARTIAL = "partial"  # not met, but some credit (一部実施)
    UNMET = "unmet"  # not met, no credit (未実施)
    NOT_APPLICABLE = "not_applicable"  # 該当なし
    UNANSWERED = "unanswered"


@dataclass(frozen=True, slots=True)
class ItemResult:
    item_id: str
    status: Status
    option_id: str | None
    credit: float | None  # None when unanswered or 該当なし


@dataclass(frozen=True, slots=True)
class GroupScore:
    """The score of one group of items: overall, a CSF function or category, a chapter.

    ``key`` is ``overall``, ``csf:<id>`` or ``chapter:<id>``. Percentages are 0–100.
    """

    key: str
    applicable: int
    answered: int
    not_applicable: int
    met: int
    coverage: float | None
    completeness: float | None
    level: int | None
    potential_level: int | None

    @property
    def provisional(self) -> bool:
        """Whether answering the unanswered items could still raise the level."""
        return self.level is not None and self.potential_level != self.level


@dataclass(frozen=True)
class Scorecard:
    """Every score of one organisation for one framework."""

    framework_urn: str
    size_class: str
    items: Mapping[str, ItemResult]
    groups: Mapping[str, GroupScore]

    @property
    def overall(self) -> GroupScore:
        return self.groups[OVERALL]

    def csf(self, csf_id: str) -> GroupScore:
        """The score of a CSF function (``PR``) or category (``PR.AA``)."""
        return self.groups[f"csf:{csf_id}"]

    def chapter(self, chapter_id: str) -> GroupScore:
        return self.groups[f"chapter:{chapter_id}"]

    def of_kind(self, kind: str) -> dict[str, GroupScore]:
        """The groups of one kind: ``function``, ``category`` or ``chapter``, by id."""
        out: dict[str, GroupScore] = {}
        for key, group in self.groups.items():
            prefix, _, ident = key.partition(":")
            group_kind = prefix if prefix != "csf" else ("category" if "." in ident else "function")
            if group_kind == kind:
                out[ident] = group
        return out


class _Tally:
    """Running sums of one group while an organisation's items are scored."""

    __slots__ = (
        "answered",
        "applicable",
        "credit",
        "first_unanswered",
        "first_unmet",
        "levels",
        "met",
        "not_applicable",
        "weight",
    )

    def __init__(self) -> None:
        self.applicable = self.answered = self.not_applicable = self.met = 0
        self.weight = self.credit = 0.0
        self.levels = 0  # bit L set: the group has an item of level L that is not 該当なし
        self.first_unmet = math.inf  # lowest level of an answered item that is not met
        self.first_unanswered = math.inf

    def add(self, item: Item, status: Status, credit: float | None) -> None:
        self.applicable += 1
        if status is Status.UNANSWERED:
            self.first_unanswered = min(self.first_unanswered, item.level)
            self.levels |= 1 << item.level
            return
        self.answered += 1
        if status is Status.NOT_APPLICABLE:
            self.not_applicable += 1
            return
        self.levels |= 1 << item.level
        self.weight += item.weight
        self.credit += item.weight * (credit or 0.0)
        if status is Status.MET:
            self.met += 1
        else:
            self.first_unmet = min(self.first_unmet, item.level)

    def result(self, key: str) -> GroupScore:
        coverage = 100.0 * self.credit / self.weight if self.weight else None
        completeness = 100.0 * self.answered / self.applicable if self.applicable else None
        return GroupScore(
            key=key,
            applicable=self.applicable,
            answered=self.answered,
            not_applicable=self.not_applicable,
            met=self.met,
            coverage=coverage,
            completeness=completeness,
            level=self._level(min(self.first_unmet, self.first_unanswered)),
            potential_level=self._level(self.first_unmet),
        )

    def _level(self, first_failure: float) -> int | None:
        """The highest level the group's items have that lies below ``first_failure`` (the
        lowest level with an item not met); 0 when there is none, ``None`` without items."""
        if not self.levels:
            return None
        reached = [
            level for level in MATURITY_LEVELS if self.levels >> level & 1 and level < first_failure
        ]
        return max(reached, default=0)


class Scorer:
    """Scores answers to one framework; builds the item → groups index once.

    ``catalogue`` (CSF 2.0) defaults to the shipped one.
    """

    def __init__(self, framework: Framework, *, catalogue: CsfCatalogue | None = None) -> None:
        self.framework = framework
        catalogue = catalogue or default_catalogue()
        category_order = list(catalogue.categories)
        self._groups: dict[str, tuple[str, ...]] = {}
        functions: set[str] = set()
        categories: set[str] = set()
        chapters: set[str] = set()
        for item in framework.items:
            refs = [catalogue.resolve(csf_id) for csf_id in item.csf]
            item_functions = sorted({ref.function for ref in refs}, key=FUNCTION_ORDER.index)
            item_categories = sorted(
                {ref.category for ref in refs if ref.category}, key=category_order.index
            )
            keys = [
                OVERALL,
                *(f"csf:{f}" for f in item_functions),
                *(f"csf:{c}" for c in item_categories),
            ]
            if item.guideline is not None:
                keys.append(f"chapter:{item.guideline.chapter}")
                chapters.add(item.guideline.chapter)
            functions.update(item_functions)
            categories.update(item_categories)
            self._groups[item.id] = tuple(keys)
        self.group_keys: tuple[str, ...] = (
            OVERALL,
            *(f"csf:{f}" for f in FUNCTION_ORDER if f in functions),
            *(f"csf:{c}" for c in catalogue.categories if c in categories),
            *(f"chapter:{c.id}" for c in framework.chapters if c.id in chapters),
        )
        # Per size class, the items that apply, each with the result of every possible
        # answer (results are immutable, so one object serves every organisation) and
        # the positions of its groups in group_keys.
        position = {key: index for index, key in enumerate(self.group_keys)}
        self._plans: dict[str, list[_ItemPlan]] = {
            size_class: [
                _ItemPlan(
                    item,
                    {option: _result(item, option) for option in item.answers.option_ids},
                    _result(item, None),
                    tuple(position[key] for key in self._groups[item.id]),
                )
                for item in framework.items
                if item.applies_to(size_class)
            ]
            for size_class in SIZE_CLASSES
        }

    def groups_of(self, item_id: str) -> tuple[str, ...]:
        """The group keys an item counts in."""
        return self._groups[item_id]

    def score(self, size_class: str, answers: Mapping[str, str]) -> Scorecard:
        """Score ``answers`` (item id → option id) of an organisation of ``size_class``.

        Raises :class:`AnswerError` for an unknown size class, item or option.
        """
        if size_class not in SIZE_CLASSES:
            raise AnswerError(
                f"団体の種別 {size_class!r} は評価の対象ではありません（{', '.join(SIZE_CLASSES)}）"
            )
        unknown = answers.keys() - self._groups.keys()
        if unknown:
            raise AnswerError(f"{self.framework.urn} に項目 {min(unknown)} はありません")
        tallies = [_Tally() for _ in self.group_keys]
        results: dict[str, ItemResult] = {}
        for plan in self._plans[size_class]:
            option = answers.get(plan.item.id)
            result = plan.unanswered if option is None else plan.results.get(option)
            if result is None:
                raise AnswerError(_unknown_option(self.framework.urn, plan.item, option))
            results[plan.item.id] = result
            for index in plan.groups:
                tallies[index].add(plan.item, result.status, result.credit)
        for item_id, option in answers.items():  # answers to items of other size classes
            if (
                item_id not in results
                and option not in self.framework.item(item_id).answers.option_ids
            ):
                raise AnswerError(
                    _unknown_option(self.framework.urn, self.framework.item(item_id), option)
                )
        groups = {
            key: tally.result(key)
            for key, tally in zip(self.group_keys, tallies, strict=True)
            if tally.applicable
        }
        return Scorecard(self.framework.urn, size_class, results, groups)


@dataclass(frozen=True, slots=True)
class _ItemPlan:
    item: Item
    results: Mapping[str, ItemResult]  # option id -> result
    unanswered: ItemResult
    groups: tuple[int, ...]  # positions in Scorer.group_keys


def _unknown_option(urn: str, item: Item, option: str | None) -> str:
    choices = "、".join(item.answers.option_ids)
    return f"{urn} の項目 {item.id} の回答 {option!r} は選択肢（{choices}）にありません"


def _result(item: Item, option_id: str | None) -> ItemResult:
    if option_id is None:
        return ItemResult(item.id, Status.UNANSWERED, None, None)
    option = item.answers.option(option_id)
    if option.not_applicable:
        return ItemResult(item.id, Status.NOT_APPLICABLE, option_id, None)
    if option.met:
        return ItemResult(item.id, Status.MET, option_id, option.credit)
    status = Status.PARTIAL if option.credit > 0 else Status.UNMET
    return ItemResult(item.id, status, option_id, option.credit)


def score(framework: Framework, size_class: str, answers: Mapping[str, str]) -> Scorecard:
    """Score one organisation's ``answers``; see the module docstring for the rule.

    For many organisations, build one :class:`Scorer` and call its ``score``.
    """
    return Scorer(framework).score(size_class, answers)
