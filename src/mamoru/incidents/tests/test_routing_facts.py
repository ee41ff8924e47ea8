"""The facts records refuse what cannot be true and derive what the report leaves open."""

from __future__ import annotations

from datetime import datetime

import pytest

from mamoru.incidents.routing import (
    AffectedService,
    Category,
    IncidentFacts,
    PersonalData,
    ReporterContext,
    Timeline,
)
from mamoru.incidents.routing.testing import jst, make_facts


def test_timestamps_must_be_timezone_aware() -> None:
    with pytest.raises(ValueError, match="aware must be timezone-aware"):
        Timeline(aware=datetime(2025, 11, 12, 10, 0))  # naive on purpose


def test_determination_cannot_precede_awareness() -> None:
    with pytest.raises(ValueError, match="determined must not be before aware"):
        Timeline(aware=jst(2025, 11, 12), determined=jst(2025, 11, 11))


def test_the_start_cannot_follow_awareness() -> None:
    with pytest.raises(ValueError, match="started must not be after aware"):
        Timeline(aware=jst(2025, 11, 12), started=jst(2025, 11, 13))


def test_the_number_of_people_cannot_be_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        PersonalData(people=-1)


@pytest.mark.parametrize("code", ["13200", "1320123", "13201X"])
def test_reporter_codes_are_six_digits(code: str) -> None:
    with pytest.raises(ValueError, match="6-digit"):
        ReporterContext(code, "x", "130001", "東京都")


def test_a_service_names_only_a_known_ministry() -> None:
    with pytest.raises(ValueError, match="unknown ministry code 'MOJ'"):
        AffectedService("family_register", "戸籍", ministry="MOJ")
    assert AffectedService("school", ministry="MEXT").ministry == "MEXT"


def test_a_prefecture_is_its_own_prefecture() -> None:
    assert ReporterContext("130001", "東京都", "130001", "東京都").is_prefecture
    assert not ReporterContext("132012", "八王子市", "130001", "東京都").is_prefecture


@pytest.mark.parametrize(
    ("category", "expected"),
    [(Category.RANSOMWARE, True), (Category.DDOS, True), (Category.MISDELIVERY, False)],
)
def test_the_category_decides_a_cyber_attack_unless_stated(
    category: Category, expected: bool
) -> None:
    assert make_facts(category=category).is_cyber_attack is expected
    assert make_facts(category=category, cyber_attack=not expected).is_cyber_attack is not expected


def test_facts_are_immutable() -> None:
    facts = make_facts()
    with pytest.raises(AttributeError):
        facts.serious = True  # type: ignore[misc]


def test_categories_have_japanese_labels() -> None:
    assert Category.MEDIA_LOSS_THEFT.label == "媒体の紛失"
    assert Category.MEDIA_THEFT.label == "媒体の盗難"
    assert all(c.label for c in Category)
    assert isinstance(make_facts(), IncidentFacts)
