"""Properties of routing over generated reports (hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from mamoru.core.jpcalendar import JST
from mamoru.incidents.routing import (
    AffectedService,
    Category,
    IncidentFacts,
    PersonalData,
    RuleSet,
    Timeline,
    route,
    ruleset_for,
)
from mamoru.incidents.routing.testing import MUNICIPALITY

RULES: RuleSet = ruleset_for(date(2025, 11, 22))
SERVICE_KINDS = sorted(RULES.services)

moments = st.datetimes(
    min_value=datetime(2024, 1, 1),  # naive bounds: hypothesis attaches the zone
    max_value=datetime(2030, 12, 31),
    timezones=st.just(JST),
)

personal_data = st.builds(
    PersonalData,
    people=st.none() | st.integers(0, 100_000),
    sensitive=st.booleans(),
    ordinance_sensitive=st.booleans(),
    financial_damage_risk=st.booleans(),
    improper_purpose=st.booleans(),
    my_number=st.booleans(),
    in_my_number_system=st.booleans(),
    publicly_viewable=st.booleans(),
    high_grade_encryption=st.booleans(),
)


@st.composite
def reports(draw: st.DrawFn) -> IncidentFacts:
    aware = draw(moments)
    later = st.timedeltas(timedelta(0), timedelta(days=90))
    determined = st.none() | later.map(lambda d: aware + d)
    services = st.lists(st.sampled_from(SERVICE_KINDS), max_size=3)
    return IncidentFacts(
        category=draw(st.sampled_from(list(Category))),
        timeline=Timeline(
            aware=aware,
            determined=draw(determined),
            approved=draw(st.none() | later.map(lambda d: aware + d)),
        ),
        serious=draw(st.booleans()),
        services=tuple(AffectedService(kind) for kind in draw(services)),
        personal_data=draw(st.none() | personal_data),
        police_consulted=draw(st.booleans()),
    )


@settings(database=None, max_examples=200, deadline=None)
@given(reports())
def test_deadlines_are_never_before_their_trigger(facts: IncidentFacts) -> None:
    for recipient in route(facts, reporter=MUNICIPALITY, ruleset=RULES):
        for reason in recipient.reasons:
            for due in (reason.preliminary, reason.final):
                if due is None or due.due_at is None:
                    continue
                assert due.trigger_at is not None
                assert due.due_at > due.trigger_at
                assert due.trigger_at >= facts.timeline.aware


@settings(database=None, max_examples=200, deadline=None)
@given(reports(), st.integers(1, 100_000))
def test_more_people_never_removes_the_ppc(facts: IncidentFacts, extra: int) -> None:
    data = facts.personal_data or PersonalData(people=0)
    more = replace(facts, personal_data=replace(data, people=(data.people or 0) + extra))
    before = {
        r.code
        for r in route(replace(facts, personal_data=data), reporter=MUNICIPALITY, ruleset=RULES)
    }
    after = {r.code for r in route(more, reporter=MUNICIPALITY, ruleset=RULES)}
    if "PPC" in before:
        assert "PPC" in after
    assert before <= after


@settings(database=None, max_examples=200, deadline=None)
@given(reports())
def test_the_prefecture_and_mic_always_receive_a_municipality_s_report(
    facts: IncidentFacts,
) -> None:
    codes = [r.code for r in route(facts, reporter=MUNICIPALITY, ruleset=RULES)]
    assert codes[:2] == [MUNICIPALITY.prefecture_lg_code, "MIC"]
    assert len(codes) == len(set(codes))  # one entry per recipient, however many rules
