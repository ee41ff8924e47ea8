"""The condition language: parsing, evaluation over facts and services, and descriptions."""

from __future__ import annotations

import pytest

from mamoru.incidents.routing import Category, Segment
from mamoru.incidents.routing.conditions import (
    ConditionError,
    ResolvedService,
    Scope,
    describe,
    holds,
    parse_condition,
    reasons,
)
from mamoru.incidents.routing.facts import IncidentFacts
from mamoru.incidents.routing.testing import leak, make_facts

WATER = ResolvedService("water_supply", "上水道", "MLIT", True, Segment.LGWAN)
SCHOOL = ResolvedService("school", "学校教育", "MEXT", False, None)


def scope(facts: IncidentFacts | None = None, *services: ResolvedService) -> Scope:
    return Scope(facts or make_facts(), services)


def check(raw: object, facts: IncidentFacts | None = None, *services: ResolvedService) -> bool:
    return holds(parse_condition(raw), scope(facts, *services))


def test_always_holds() -> None:
    assert check("always")


def test_all_any_not() -> None:
    facts = make_facts(serious=True, category=Category.DDOS)
    serious = {"fact": "serious", "is": True}
    ddos = {"fact": "category", "eq": "ddos"}
    leak_ = {"fact": "category", "eq": "data_leak"}
    assert check({"all": [serious, ddos]}, facts)
    assert not check({"all": [serious, leak_]}, facts)
    assert check({"any": [leak_, ddos]}, facts)
    assert not check({"not": ddos}, facts)


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [("gt", 100, True), ("gt", 101, False), ("ge", 101, True), ("lt", 101, False),
     ("le", 101, True), ("eq", 101, True), ("ne", 101, False)],
)  # fmt: skip
def test_number_comparisons(op: str, value: int, expected: bool) -> None:
    facts = make_facts(personal_data=leak(people=101))
    assert check({"fact": "personal_data.people", op: value}, facts) is expected


def test_an_unknown_number_meets_no_comparison() -> None:
    facts = make_facts(personal_data=leak(people=None))
    for op in ("gt", "ge", "lt", "le", "eq", "ne"):
        assert not check({"fact": "personal_data.people", op: 0}, facts)


def test_in_and_contains() -> None:
    facts = make_facts(category=Category.RANSOMWARE, segments=frozenset({Segment.LGWAN}))
    assert check({"fact": "category", "in": ["ransomware", "malware"]}, facts)
    assert not check({"fact": "category", "in": ["ddos"]}, facts)
    assert check({"fact": "segments", "contains": "lgwan"}, facts)
    assert not check({"fact": "segments", "contains": "internet"}, facts)


def test_segments_include_those_of_the_affected_services() -> None:
    from mamoru.incidents.routing import AffectedService

    facts = make_facts()
    facts = IncidentFacts(
        category=facts.category,
        timeline=facts.timeline,
        services=(AffectedService("x", segment=Segment.MY_NUMBER),),
    )
    assert check({"fact": "segments", "contains": "my_number"}, facts)


def test_any_service_looks_at_each_service() -> None:
    raw = {"any_service": {"fact": "critical_infrastructure", "is": True}}
    assert check(raw, None, SCHOOL, WATER)
    assert not check(raw, None, SCHOOL)
    assert not check(raw, None)


def test_personal_data_facts_are_false_without_personal_data() -> None:
    assert not check({"fact": "personal_data.involved", "is": True})
    assert not check({"fact": "personal_data.sensitive", "is": True})


def test_any_service_cannot_nest() -> None:
    inner = {"any_service": {"fact": "kind", "eq": "school"}}
    with pytest.raises(ConditionError, match="nested"):
        parse_condition({"any_service": inner})


def test_two_keywords_in_one_mapping_are_refused() -> None:
    with pytest.raises(ConditionError, match="exactly one"):
        parse_condition({"all": ["always"], "any": ["always"]})


def test_describe_reads_as_japanese() -> None:
    raw = {
        "all": [
            {"fact": "personal_data.people", "gt": 100},
            {"not": {"fact": "personal_data.high_grade_encryption", "is": True}},
            {"fact": "category", "in": ["ransomware", "ddos"]},
        ]
    }
    text = describe(parse_condition(raw))
    assert "本人の数が100を超える" in text
    assert "に該当しない" in text
    assert "「ランサムウェア」「DDoS攻撃」のいずれか" in text


def test_reasons_name_only_the_parts_that_held() -> None:
    raw = {
        "any": [
            {"fact": "personal_data.sensitive", "is": True},
            {"fact": "personal_data.people", "gt": 100},
        ]
    }
    facts = make_facts(personal_data=leak(people=5, sensitive=True))
    assert reasons(parse_condition(raw), scope(facts)) == ("要配慮個人情報を含む",)


def test_reasons_name_the_service() -> None:
    raw = {"any_service": {"fact": "critical_infrastructure", "is": True}}
    assert reasons(parse_condition(raw), scope(None, SCHOOL, WATER)) == (
        "上水道: 重要インフラに該当する",
    )


def test_reasons_are_empty_when_the_condition_fails() -> None:
    assert reasons(parse_condition({"fact": "serious", "is": True}), scope()) == ()
