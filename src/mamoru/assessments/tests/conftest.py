"""Fixtures of the assessments app's tests: the shipped framework in the database, a CISO
for 千代田区 (the cast has none), a national campaign to five of the cast's
organisations, and tasks that run where they are enqueued."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from mamoru.accounts.models import User
from mamoru.assessments.models import Campaign, Framework
from mamoru.assessments.testing import campaign, load_framework, person
from mamoru.testing import CHIYODA, HACHIOJI, OSAKA, OSAKA_CITY, TOKYO, Cast

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CAST_CODES = (TOKYO, CHIYODA, HACHIOJI, OSAKA, OSAKA_CITY)


@pytest.fixture(autouse=True)
def _immediate_tasks() -> Iterator[None]:
    with override_settings(TASKS=IMMEDIATE):
        yield


@pytest.fixture
def framework(db: None) -> Framework:
    return load_framework()


@pytest.fixture
def ciso(cast: Cast) -> User:
    return person(CHIYODA, username="chiyoda_ciso")


@pytest.fixture
def national(cast: Cast, framework: Framework) -> Campaign:
    """総務省's campaign to 東京都, 千代田区, 八王子市, 大阪府 and 大阪市."""
    return campaign(framework, codes=CAST_CODES)


@pytest.fixture
def wards(cast: Cast) -> list[str]:
    """The codes of Tokyo's 23 special wards (the real list)."""
    from mamoru.orgs.selectors import organisation_list

    return list(
        organisation_list(prefecture_code="13", kind="special_ward").values_list("code", flat=True)
    )


@pytest.fixture
def closed(cast: Cast, framework: Framework, wards: list[str]) -> Campaign:
    """A national campaign to Tokyo's special wards, answered (varying answers: ward i
    implements the first 40 + 2·i items), closed and frozen."""
    from mamoru.assessments import services
    from mamoru.assessments.testing import SYSTEM, uniform

    answers = {}
    for i, code in enumerate(sorted(wards)):
        given = uniform(framework, "special_ward", "not_implemented")
        for item in list(given)[: 40 + 2 * i]:
            given[item] = "implemented"
        answers[code] = given
    made = campaign(framework, codes=wards, title="締切済みの調査")
    services.submissions_import(principal=SYSTEM, campaign=made, answers=answers)
    services.campaign_close(principal=SYSTEM, campaign=made)
    services.campaign_freeze(principal=SYSTEM, campaign=made)
    made.refresh_from_db()
    return made
