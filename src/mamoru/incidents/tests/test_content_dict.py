"""``from_dict`` is the inverse of ``to_dict`` (also after a trip through JSON), and it
refuses malformed input with a Japanese message naming the field."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mamoru.incidents.content import (
    Contact,
    ContentError,
    ReportContent,
    Tlp,
    content_warnings,
    from_dict,
    to_dict,
)
from mamoru.incidents.routing import (
    AffectedService,
    Category,
    IncidentFacts,
    PersonalData,
    Segment,
    Severity,
    Timeline,
)
from mamoru.incidents.routing.codes import NATIONAL_BODIES, SECTIONS

zones = st.sampled_from([UTC, timezone(timedelta(hours=9)), timezone(timedelta(hours=-5))])
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 30), timezones=zones
)
text = st.text(max_size=20)


@st.composite
def timelines(draw: st.DrawFn) -> Timeline:
    aware = draw(moments)
    started = draw(st.none() | st.just(aware - timedelta(hours=draw(st.integers(0, 500)))))
    determined = draw(st.none() | st.just(aware + timedelta(hours=draw(st.integers(0, 500)))))
    return Timeline(
        aware=aware,
        started=started,
        determined=determined,
        contained=draw(st.none() | moments),
        approved=draw(st.none() | moments),
        submitted=draw(st.none() | moments),
    )


services = st.builds(
    AffectedService,
    kind=st.sampled_from(["school", "water_supply", "unknown_kind"]),
    name=text,
    ministry=st.none() | st.sampled_from(sorted(NATIONAL_BODIES)),
    critical_infrastructure=st.none() | st.booleans(),
    segment=st.none() | st.sampled_from(Segment),
)


@st.composite
def personal(draw: st.DrawFn) -> PersonalData:
    people = draw(st.none() | st.integers(0, 10**7))
    holders = st.integers(0, 10**7 if people is None else people)
    return PersonalData(
        kinds=tuple(draw(st.lists(text, max_size=3))),
        people=people,
        my_number_people=draw(st.none() | holders),
        sensitive=draw(st.booleans()),
        improper_purpose=draw(st.booleans()),
        my_number=draw(st.booleans()),
        in_my_number_related_system=draw(st.booleans()),
        in_contractor_system=draw(st.booleans()),
        improper_use=draw(st.booleans()),
        improper_provision=draw(st.booleans()),
    )


facts = st.builds(
    IncidentFacts,
    category=st.sampled_from(Category),
    timeline=timelines(),
    severity=st.sampled_from(Severity),
    serious=st.booleans(),
    cyber_attack=st.none() | st.booleans(),
    services=st.lists(services, max_size=3).map(tuple),
    segments=st.frozensets(st.sampled_from(Segment)),
    personal_data=st.none() | personal(),
    police_consulted=st.booleans(),
)
section_names = st.sampled_from(sorted(SECTIONS))
contents = st.builds(
    ReportContent,
    facts=facts,
    title=text,
    sections=st.dictionaries(section_names, text, max_size=4),
    contact=st.none() | st.builds(Contact, name=text, phone=text),
    tlp=st.sampled_from(Tlp),
    section_tlp=st.dictionaries(section_names, st.sampled_from(Tlp), max_size=3),
    red_recipients=st.dictionaries(
        section_names, st.lists(st.sampled_from(["PPC", "MIC", "130001"])).map(tuple), max_size=2
    ),
)


@given(contents)
def test_from_dict_inverts_to_dict(content: ReportContent) -> None:
    assert from_dict(to_dict(content)) == content
    assert from_dict(json.loads(json.dumps(to_dict(content)))) == content


def minimal() -> dict[str, object]:
    return {
        "title": "件名",
        "facts": {"category": "ddos", "timeline": {"aware": "2025-11-12T10:00:00+09:00"}},
    }


def test_a_minimal_dict_is_enough() -> None:
    content = from_dict(minimal())
    assert content.facts.category is Category.DDOS
    assert content.tlp is Tlp.AMBER


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"facts": {"timeline": {"aware": "2025-11-12T10:00:00+09:00"}}}, "facts.category", "必須"),
        (
            {"facts": {"category": "flood", "timeline": {"aware": "2025-11-12T10:00:00+09:00"}}},
            "facts.category",
            "いずれか",
        ),
        (
            {"facts": {"category": "ddos", "timeline": {"aware": "2025-11-12T10:00:00"}}},
            "facts.timeline.aware",
            "タイムゾーン",
        ),
        ({"tlp": "purple"}, "tlp", "いずれか"),
        ({"title": 3}, "title", "型"),
        ({"sections": {"overview": 1}}, "sections.overview", "文字列"),
    ],
)
def test_malformed_input_names_the_field(
    change: dict[str, object], path: str, message: str
) -> None:
    with pytest.raises(ContentError) as caught:
        from_dict({**minimal(), **change})
    assert caught.value.path == path
    assert message in caught.value.message


def test_people_must_be_a_number_not_a_flag() -> None:
    data = minimal()
    data["facts"] = {**data["facts"], "personal_data": {"people": True}}  # type: ignore[dict-item]
    with pytest.raises(ContentError):
        from_dict(data)


def test_an_unknown_section_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown report section"):
        from_dict({**minimal(), "sections": {"gossip": "x"}})


def _with_personal(**personal_data: object) -> dict[str, object]:
    return {
        "title": "t",
        "facts": {
            "category": "data_leak",
            "timeline": {"aware": "2025-11-12T10:00:00+09:00"},
            "personal_data": personal_data,
        },
    }


def test_my_number_holders_cannot_outnumber_the_people() -> None:
    with pytest.raises(ContentError) as caught:
        from_dict(_with_personal(people=10, my_number_people=11))
    assert caught.value.path == "facts.personal_data.my_number_people"
    assert "本人の数以下" in caught.value.message


def test_the_new_my_number_facts_survive_the_stored_form() -> None:
    content = from_dict(
        _with_personal(people=10, my_number_people=4, my_number=True, in_contractor_system=True)
    )
    data = content.facts.personal_data
    assert data is not None
    assert (data.my_number_people, data.in_contractor_system) == (4, True)
    assert from_dict(to_dict(content)) == content


def test_a_determination_days_after_awareness_is_warned_about() -> None:
    late = from_dict(
        {
            "title": "t",
            "facts": {
                "category": "ransomware",
                "timeline": {
                    "aware": "2025-11-12T10:00:00+09:00",
                    "determined": "2025-11-19T10:00:00+09:00",
                },
            },
        }
    )
    on_time = from_dict(
        {
            "title": "t",
            "facts": {
                "category": "ransomware",
                "timeline": {
                    "aware": "2025-11-12T10:00:00+09:00",
                    "determined": "2025-11-13T10:00:00+09:00",
                },
            },
        }
    )
    (warning,) = content_warnings(late)
    assert warning.path == "facts.timeline.determined"
    assert "職員のだれか" in warning.message
    assert content_warnings(on_time) == []


def test_an_uncounted_leak_is_warned_about() -> None:
    (warning,) = content_warnings(from_dict(_with_personal(kinds=["氏名"])))
    assert warning.path == "facts.personal_data.people"
