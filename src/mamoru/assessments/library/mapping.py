"""Carry answers forward from one version of a framework to the next.

A mapping file (``mapping.schema.json``) says what happened to items between two versions::

    format: mamoru.assessments.mapping/1
    from: urn:mamoru:framework:lg-measures:2026
    to: urn:mamoru:framework:lg-measures:2027
    rules:
      - {from: ORG-08, to: ORG-12}                      # renamed
      - {from: TEC-10, to: [TEC-10a, TEC-10b]}          # split: the answer goes to each
      - {from: [AST-03, AST-04], to: AST-20}            # merged: the weakest answer
      - {from: [HUM-03, HUM-04], to: HUM-20, combine: strongest}
      - {from: PHY-08, removed: true}                   # the answer is dropped, with a reason
      - {from: OPS-02, to: OPS-02, options: {partial: planned}}  # an answer option renamed

Items with the same id in both versions and no rule carry over as they are. Nothing is lost
silently: an item of the old version that neither exists in the new one nor has a rule
makes the mapping invalid, and every answer that cannot be carried is listed in
:attr:`CarriedAnswers.dropped` with the reason in Japanese. Carried answers are proposals:
the app shows them as "前回の回答" to be confirmed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from mamoru.assessments.library.errors import FrameworkError, Issue
from mamoru.assessments.library.loader import read_yaml
from mamoru.assessments.library.model import AnswerOption, Framework, Item
from mamoru.assessments.library.schema import schema_issues

Combine = Literal["weakest", "strongest"]
_REMOVED_JA: Final = "新しい版でこの項目は廃止されました"


@dataclass(frozen=True, slots=True)
class MappingRule:
    sources: tuple[str, ...]
    targets: tuple[str, ...]  # empty when removed
    combine: Combine
    options: Mapping[str, str]


@dataclass(frozen=True)
class VersionMapping:
    """A validated mapping from framework ``from_urn`` to ``to_urn``."""

    from_urn: str
    to_urn: str
    rules: tuple[MappingRule, ...]
    options: Mapping[str, str]  # answer options renamed in every item


@dataclass(frozen=True, slots=True)
class Dropped:
    """An old answer that could not be carried forward, and why (in Japanese)."""

    item_id: str
    option_id: str
    reason: str


@dataclass(frozen=True)
class CarriedAnswers:
    """Answers for the new version: ``answers`` (new item → option), ``origins`` (new item
    → the old items its answer came from) and what was ``dropped``."""

    answers: Mapping[str, str]
    origins: Mapping[str, tuple[str, ...]]
    dropped: tuple[Dropped, ...]


def load_mapping(path: Path, *, old: Framework, new: Framework) -> VersionMapping:
    """Read and validate the mapping file ``path`` against both frameworks."""
    return parse_mapping(path.read_text(encoding="utf-8"), source=path.name, old=old, new=new)


def parse_mapping(
    text: str, *, source: str = "<mapping>", old: Framework, new: Framework
) -> VersionMapping:
    """Validate mapping YAML ``text``; :class:`FrameworkError` lists every problem."""
    data = read_yaml(text, source=source)
    issues = schema_issues(data, schema="mapping", name=source)
    if issues:
        raise FrameworkError(issues)
    assert isinstance(data, dict)  # the schema says it is an object
    mapping, issues = _Checker(data, source, old, new).check()
    if issues:
        raise FrameworkError(issues)
    return mapping


def _ids(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


class _Checker:
    def __init__(
        self, data: Mapping[str, Any], source: str, old: Framework, new: Framework
    ) -> None:
        self.data = data
        self.name = source
        self.old = old
        self.new = new
        self.issues: list[Issue] = []

    def problem(self, message: str, *, rule: str | None = None, field: str | None = None) -> None:
        self.issues.append(Issue(self.name, message, item=rule, field=field))

    def check(self) -> tuple[VersionMapping, list[Issue]]:
        if self.data["from"] != self.old.urn:
            self.problem(f"旧版 {self.old.urn} の対応表ではありません", field="from")
        if self.data["to"] != self.new.urn:
            self.problem(f"新版 {self.new.urn} の対応表ではありません", field="to")
        options = dict(self.data.get("options", {}))
        rules = tuple(self._rule(raw) for raw in self.data["rules"])
        self._check_coverage(rules)
        return VersionMapping(self.data["from"], self.data["to"], rules, options), self.issues

    def _rule(self, raw: Mapping[str, Any]) -> MappingRule:
        sources = _ids(raw["from"])
        targets = _ids(raw.get("to"))
        label = "+".join(sources)
        if raw.get("removed") and targets:
            self.problem("removed: true の規則に to は書けません", rule=label, field="to")
        if not raw.get("removed") and not targets:
            self.problem("to（新しい項目）か removed: true のどちらかを書いてください", rule=label)
        if "combine" in raw and len(sources) < 2:
            self.problem(
                "combine は複数の項目を統合する規則にだけ書けます", rule=label, field="combine"
            )
        for item_id in sources:
            if not self.old.has_item(item_id):
                self.problem(f"旧版に項目 {item_id} はありません", rule=label, field="from")
        for item_id in targets:
            if not self.new.has_item(item_id):
                self.problem(f"新版に項目 {item_id} はありません", rule=label, field="to")
        return MappingRule(
            sources, targets, raw.get("combine", "weakest"), dict(raw.get("options", {}))
        )

    def _check_coverage(self, rules: Sequence[MappingRule]) -> None:
        sourced: dict[str, str] = {}
        produced: dict[str, str] = {}
        for rule in rules:
            label = "+".join(rule.sources)
            for item_id in rule.sources:
                if item_id in sourced:
                    self.problem(
                        f"旧版の項目 {item_id} が複数の規則にあります", rule=label, field="from"
                    )
                sourced[item_id] = label
            for item_id in rule.targets:
                if item_id in produced:
                    self.problem(
                        f"新版の項目 {item_id} が複数の規則で作られます", rule=label, field="to"
                    )
                produced[item_id] = label
        for item in self.old.items:
            if item.id in sourced:
                continue
            if not self.new.has_item(item.id):
                self.problem(
                    "新版に同じ id の項目がなく、対応の規則もありません（廃止なら removed: true）",
                    rule=item.id,
                )
            elif item.id in produced:
                self.problem(
                    f"新版の項目 {item.id} は規則 {produced[item.id]} で作られるため、同じ id の引き継ぎと衝突します",
                    rule=item.id,
                )


def carry_forward(
    answers: Mapping[str, str], mapping: VersionMapping, *, old: Framework, new: Framework
) -> CarriedAnswers:
    """The answers to ``old`` carried to ``new`` through ``mapping`` (see the module docstring)."""
    carried: dict[str, str] = {}
    origins: dict[str, tuple[str, ...]] = {}
    dropped: list[Dropped] = []
    covered: set[str] = set()
    plan: list[tuple[tuple[str, ...], tuple[str, ...], Combine, Mapping[str, str]]] = []
    for rule in mapping.rules:
        covered.update(rule.sources)
        plan.append((rule.sources, rule.targets, rule.combine, rule.options))
    for item in old.items:
        if item.id not in covered and new.has_item(item.id):
            plan.append(((item.id,), (item.id,), "weakest", {}))
    for sources, targets, combine, options in plan:
        given = [(old.item(s), answers[s]) for s in sources if s in answers]
        if not given:
            continue
        if not targets:
            dropped.extend(Dropped(item.id, option, _REMOVED_JA) for item, option in given)
            continue
        if len(given) < len(sources):
            missing = "、".join(s for s in sources if s not in answers)
            reason = f"統合先の回答を決めるには {missing} の回答も必要です"
            dropped.extend(Dropped(item.id, option, reason) for item, option in given)
            continue
        chosen_item, chosen = _combine(given, combine)
        for target in targets:
            option = _translate(chosen, new.item(target), {**mapping.options, **options})
            if option is None:
                reason = f"新版の項目 {target} に回答 {chosen} に当たる選択肢がありません"
                dropped.append(Dropped(chosen_item.id, chosen, reason))
                continue
            carried[target] = option
            origins[target] = sources
    return CarriedAnswers(carried, origins, tuple(dropped))


def _combine(given: Sequence[tuple[Item, str]], combine: Combine) -> tuple[Item, str]:
    """The answer a merged item inherits: the weakest (or strongest) of the answers that
    are not 該当なし; 該当なし only when every source was 該当なし."""

    def option(pair: tuple[Item, str]) -> AnswerOption:
        return pair[0].answers.option(pair[1])

    scored = [pair for pair in given if not option(pair).not_applicable]
    if not scored:
        return given[0]
    pick = min if combine == "weakest" else max
    return pick(scored, key=lambda pair: (option(pair).met, option(pair).credit))


def _translate(option_id: str, target: Item, renames: Mapping[str, str]) -> str | None:
    option_id = renames.get(option_id, option_id)
    return option_id if option_id in target.answers.option_ids else None
