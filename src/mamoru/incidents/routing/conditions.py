"""A small, safe condition language over the facts of a report. Nothing is ever evaluated as code.

In a rule file a condition is one of::

    always
    {all: [<condition>, ...]}
    {any: [<condition>, ...]}
    {not: <condition>}
    {any_service: <condition over one affected service>}
    {fact: <path>, <operator>: <value>}

Facts are a fixed registry (below) with a type each; an operator must suit the type and the
value must be of it, so a typo in a rule file fails when the file is loaded, not silently
at routing time. Operators: ``is`` (yes/no facts), ``eq ne gt ge lt le`` (numbers),
``eq ne in`` (choices), ``contains`` (sets).
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from mamoru.incidents.routing.codes import NATIONAL_BODIES
from mamoru.incidents.routing.facts import Category, IncidentFacts, PersonalData, Segment, Severity


class RuleFormatError(ValueError):
    """Part of a rule file is malformed; the message says what and how to fix it."""


class ConditionError(RuleFormatError):
    """A condition in a rule file is malformed."""


@dataclass(frozen=True, slots=True)
class ResolvedService:
    """An affected service with its ministry and critical-infrastructure flag settled."""

    kind: str
    name: str
    ministry: str | None
    critical_infrastructure: bool
    segment: Segment | None

    @property
    def display_name(self) -> str:
        return self.name or self.kind


@dataclass(frozen=True, slots=True)
class Scope:
    """What a condition looks at: the report, and inside ``any_service`` one of its services."""

    facts: IncidentFacts
    services: tuple[ResolvedService, ...]
    service: ResolvedService | None = None


class FactKind(enum.Enum):
    BOOL = "bool"
    INT = "int"
    CHOICE = "choice"
    TEXT = "text"
    SET = "set"


_OPERATORS: Final[dict[FactKind, frozenset[str]]] = {
    FactKind.BOOL: frozenset({"is"}),
    FactKind.INT: frozenset({"eq", "ne", "gt", "ge", "lt", "le"}),
    FactKind.CHOICE: frozenset({"eq", "ne", "in"}),
    FactKind.TEXT: frozenset({"eq", "ne", "in"}),
    FactKind.SET: frozenset({"contains"}),
}


@dataclass(frozen=True, slots=True)
class FactSpec:
    kind: FactKind
    label: str  # Japanese, read by reporters and recipients in explanations
    get: Callable[[Scope], object]
    choices: Mapping[str, str] | None = None  # value → Japanese label, for CHOICE and SET


def _pd(scope: Scope) -> PersonalData:
    return scope.facts.personal_data or PersonalData()


def _svc(scope: Scope) -> ResolvedService:
    if scope.service is None:  # the loader only admits service facts inside any_service
        raise ConditionError("a service fact was used outside any_service")
    return scope.service


def _labels(members: type[Category] | type[Severity] | type[Segment]) -> dict[str, str]:
    return {m.value: m.label for m in members}


def _pd_flag(attr: str, label: str) -> FactSpec:
    return FactSpec(FactKind.BOOL, label, lambda s: bool(getattr(_pd(s), attr)))


REPORT_FACTS: Final[dict[str, FactSpec]] = {
    "category": FactSpec(
        FactKind.CHOICE, "インシデントの種別", lambda s: s.facts.category.value, _labels(Category)
    ),
    "severity": FactSpec(
        FactKind.CHOICE, "深刻度", lambda s: s.facts.severity.value, _labels(Severity)
    ),
    "serious": FactSpec(FactKind.BOOL, "重大インシデントである", lambda s: s.facts.serious),
    "cyber_attack": FactSpec(
        FactKind.BOOL, "サイバー攻撃によるものである", lambda s: s.facts.is_cyber_attack
    ),
    "improper_act": FactSpec(
        FactKind.BOOL,
        "不正の目的をもって行われたおそれがある行為（サイバー攻撃・盗難・内部不正）による",
        lambda s: s.facts.improper_act,
    ),
    "police_consulted": FactSpec(
        FactKind.BOOL, "警察に相談している", lambda s: s.facts.police_consulted
    ),
    "publicly_announced": FactSpec(
        FactKind.BOOL, "公表している", lambda s: s.facts.publicly_announced
    ),
    "contractor_involved": FactSpec(
        FactKind.BOOL, "委託先が関与している", lambda s: s.facts.contractor_involved
    ),
    "segments": FactSpec(
        FactKind.SET,
        "ネットワーク区分",
        lambda s: frozenset(seg.value for seg in s.facts.all_segments),
        _labels(Segment),
    ),
    "personal_data.involved": FactSpec(
        FactKind.BOOL,
        "個人情報の漏えい等（おそれを含む）がある",
        lambda s: s.facts.personal_data is not None,
    ),
    "personal_data.people": FactSpec(FactKind.INT, "本人の数", lambda s: _pd(s).people),
    "personal_data.people_unknown": FactSpec(
        FactKind.BOOL,
        "本人の数が未確定（100人を超えるおそれを否定できない）",
        lambda s: s.facts.personal_data is not None and _pd(s).people_unknown,
    ),
    "personal_data.my_number_people": FactSpec(
        FactKind.INT, "個人番号を含む本人の数", lambda s: _pd(s).my_number_people
    ),
    "personal_data.my_number_people_unknown": FactSpec(
        FactKind.BOOL,
        "個人番号を含む本人の数が未確定（100人を超えるおそれを否定できない）",
        lambda s: _pd(s).my_number_people_unknown,
    ),
    "personal_data.kinds": FactSpec(
        FactKind.SET, "個人情報の項目", lambda s: frozenset(_pd(s).kinds)
    ),
    "personal_data.sensitive": _pd_flag("sensitive", "要配慮個人情報を含む"),
    "personal_data.ordinance_sensitive": _pd_flag(
        "ordinance_sensitive", "条例要配慮個人情報を含む"
    ),
    "personal_data.financial_damage_risk": _pd_flag(
        "financial_damage_risk", "不正に利用されることにより財産的被害が生じるおそれがある"
    ),
    "personal_data.improper_purpose": _pd_flag(
        "improper_purpose", "不正の目的をもって行われたおそれがある"
    ),
    "personal_data.my_number": _pd_flag("my_number", "特定個人情報（マイナンバーを含む）である"),
    "personal_data.in_my_number_system": _pd_flag(
        "in_my_number_system",
        "情報提供ネットワークシステム又は個人番号利用事務の情報システムで管理される",
    ),
    "personal_data.in_my_number_related_system": _pd_flag(
        "in_my_number_related_system",
        "個人番号関係事務（給与・源泉徴収など）の情報システムで管理される",
    ),
    "personal_data.in_contractor_system": _pd_flag(
        "in_contractor_system",
        "委託先が個人番号利用事務・個人番号関係事務に使う情報システムで管理される",
    ),
    "personal_data.improper_use": _pd_flag(
        "improper_use", "不正の目的をもって特定個人情報が利用された（おそれを含む）"
    ),
    "personal_data.improper_provision": _pd_flag(
        "improper_provision", "不正の目的をもって特定個人情報が提供された（おそれを含む）"
    ),
    "personal_data.publicly_viewable": _pd_flag(
        "publicly_viewable", "不特定多数の者が閲覧できる状態に置かれた"
    ),
    "personal_data.high_grade_encryption": _pd_flag(
        "high_grade_encryption", "高度な暗号化その他の必要な措置が講じられている"
    ),
}

SERVICE_FACTS: Final[dict[str, FactSpec]] = {
    "kind": FactSpec(FactKind.TEXT, "業務・サービスの種類", lambda s: _svc(s).kind),
    "ministry": FactSpec(
        FactKind.CHOICE, "所管省庁", lambda s: _svc(s).ministry, dict(NATIONAL_BODIES)
    ),
    "critical_infrastructure": FactSpec(
        FactKind.BOOL, "重要インフラに該当する", lambda s: _svc(s).critical_infrastructure
    ),
    "segment": FactSpec(
        FactKind.CHOICE,
        "ネットワーク区分",
        lambda s: _svc(s).segment,
        _labels(Segment),
    ),
}


@dataclass(frozen=True, slots=True)
class Always:
    pass


@dataclass(frozen=True, slots=True)
class All:
    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Condition


@dataclass(frozen=True, slots=True)
class AnyService:
    item: Condition


@dataclass(frozen=True, slots=True)
class Compare:
    path: str
    op: str
    value: bool | int | str | tuple[str, ...]
    spec: FactSpec


Condition = Always | All | AnyOf | Not | AnyService | Compare


# --- parsing ------------------------------------------------------------------------------


def parse_condition(raw: object, *, in_service: bool = False) -> Condition:
    """Build a condition from YAML data, or raise :class:`ConditionError` saying what is wrong."""
    if raw == "always":
        return Always()
    if not isinstance(raw, Mapping):
        raise ConditionError(f"a condition must be 'always' or a mapping, not {raw!r}")
    if "fact" in raw:
        return _parse_compare(raw, in_service=in_service)
    if len(raw) != 1:
        raise ConditionError(f"a condition needs exactly one of all/any/not/any_service: {raw!r}")
    ((key, body),) = raw.items()
    if key in ("all", "any"):
        if not isinstance(body, list) or not body:
            raise ConditionError(f"'{key}' needs a non-empty list of conditions")
        items = tuple(parse_condition(item, in_service=in_service) for item in body)
        return All(items) if key == "all" else AnyOf(items)
    if key == "not":
        return Not(parse_condition(body, in_service=in_service))
    if key == "any_service":
        if in_service:
            raise ConditionError("'any_service' cannot be nested")
        return AnyService(parse_condition(body, in_service=True))
    raise ConditionError(f"unknown condition keyword {key!r}")


def _parse_compare(raw: Mapping[object, object], *, in_service: bool) -> Compare:
    path = raw["fact"]
    registry = SERVICE_FACTS if in_service else REPORT_FACTS
    if not isinstance(path, str) or path not in registry:
        where = "a service" if in_service else "a report"
        raise ConditionError(f"unknown fact {path!r} for {where} (known: {', '.join(registry)})")
    spec = registry[path]
    ops = [key for key in raw if key != "fact"]
    if len(ops) != 1 or not isinstance(ops[0], str):
        raise ConditionError(f"fact {path!r} needs exactly one operator, got {ops!r}")
    op = ops[0]
    if op not in _OPERATORS[spec.kind]:
        allowed = ", ".join(sorted(_OPERATORS[spec.kind]))
        raise ConditionError(f"operator {op!r} does not apply to {path!r} (use: {allowed})")
    return Compare(path, op, _parse_value(path, spec, op, raw[op]), spec)


def _parse_value(
    path: str, spec: FactSpec, op: str, value: object
) -> bool | int | str | tuple[str, ...]:
    if spec.kind is FactKind.BOOL:
        if not isinstance(value, bool):
            raise ConditionError(f"{path!r} is yes/no: 'is' needs true or false, not {value!r}")
        return value
    if spec.kind is FactKind.INT:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConditionError(f"{path!r} is a number: {op!r} needs an integer, not {value!r}")
        return value
    if op == "in":
        if not isinstance(value, list) or not value:
            raise ConditionError(f"'in' on {path!r} needs a non-empty list")
        return tuple(_parse_choice(path, spec, item) for item in value)
    return _parse_choice(path, spec, value)


def _parse_choice(path: str, spec: FactSpec, value: object) -> str:
    if not isinstance(value, str):
        raise ConditionError(f"{path!r} needs a text value, not {value!r}")
    if spec.choices is not None and value not in spec.choices:
        known = ", ".join(spec.choices)
        raise ConditionError(f"{value!r} is not a value of {path!r} (known: {known})")
    return value


# --- evaluation ---------------------------------------------------------------------------


def holds(condition: Condition, scope: Scope) -> bool:
    """Whether ``condition`` is true of the report (and service) in ``scope``."""
    match condition:
        case Always():
            return True
        case All(items):
            return all(holds(item, scope) for item in items)
        case AnyOf(items):
            return any(holds(item, scope) for item in items)
        case Not(item):
            return not holds(item, scope)
        case AnyService(item):
            return any(holds(item, _with(scope, s)) for s in scope.services)
        case Compare():
            return _compare(condition, condition.spec.get(scope))


def _with(scope: Scope, service: ResolvedService) -> Scope:
    return Scope(scope.facts, scope.services, service)


_ORDER: Final[dict[str, Callable[[int, int], bool]]] = {
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
}


def _compare(cmp: Compare, actual: object) -> bool:
    # An unknown value (None) meets no comparison: a threshold is met only when it is known.
    if actual is None:
        return False
    match cmp.op:
        case "is":
            result = actual is cmp.value
        case "contains":
            result = isinstance(actual, frozenset) and cmp.value in actual
        case "in":
            result = isinstance(cmp.value, tuple) and actual in cmp.value
        case "eq" | "ne":
            result = (actual == cmp.value) is (cmp.op == "eq")
        case _:
            result = (
                isinstance(actual, int)
                and isinstance(cmp.value, int)
                and _ORDER[cmp.op](actual, cmp.value)
            )
    return result


# --- description --------------------------------------------------------------------------


def describe(condition: Condition) -> str:
    """The condition in Japanese, for rule listings and explanations."""
    match condition:
        case Always():
            return "すべてのインシデント"
        case All(items):
            return "（" + "、かつ".join(describe(i) for i in items) + "）"
        case AnyOf(items):
            return "（" + "、又は".join(describe(i) for i in items) + "）"
        case Not(item):
            return f"「{describe(item)}」に該当しない"
        case AnyService(item):
            return f"影響を受けた業務のいずれかが{describe(item)}"
        case Compare():
            return _describe_compare(condition)


def _value_label(cmp: Compare, value: object) -> str:
    text = str(value)
    if cmp.spec.choices is not None:
        return cmp.spec.choices.get(text, text)
    return text


def _describe_compare(cmp: Compare) -> str:
    label = cmp.spec.label
    if cmp.op == "is":
        return label if cmp.value is True else f"「{label}」に該当しない"
    if cmp.op == "in" and isinstance(cmp.value, tuple):
        options = "".join(f"「{_value_label(cmp, v)}」" for v in cmp.value)
        return f"{label}が{options}のいずれか"
    value = _value_label(cmp, cmp.value)
    templates = {
        "contains": f"{label}に「{value}」を含む",
        "eq": f"{label}が「{value}」",
        "ne": f"{label}が「{value}」以外",
        "gt": f"{label}が{value}を超える",
        "ge": f"{label}が{value}以上",
        "lt": f"{label}が{value}未満",
        "le": f"{label}が{value}以下",
    }
    return templates[cmp.op]


def reasons(condition: Condition, scope: Scope) -> tuple[str, ...]:
    """The parts of a condition that made it hold, in Japanese (empty when it does not hold)."""
    if not holds(condition, scope):
        return ()
    match condition:
        case All(items):
            return tuple(r for item in items for r in reasons(item, scope))
        case AnyOf(items):
            return tuple(r for item in items for r in reasons(item, scope))
        case AnyService(item):
            return tuple(
                f"{s.display_name}: {r}"
                for s in scope.services
                for r in reasons(item, _with(scope, s))
            )
        case _:
            return (describe(condition),)
