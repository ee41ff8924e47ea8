"""Fixtures of the progress tests: a small campaign of the example plan over the cast's
municipalities, begun eleven months ago (so twelve months can be reported), and tasks
run where they are enqueued."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.test import override_settings
from django.utils import timezone

from mamoru.progress.lateness import add_months, month_of
from mamoru.progress.models import Campaign
from mamoru.progress.testing import make_campaign
from mamoru.testing import CHIYODA, HACHIOJI, OSAKA_CITY, TOKYO, Cast

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks() -> Iterator[None]:
    with override_settings(TASKS=IMMEDIATE):
        yield


@pytest.fixture
def this_month() -> date:
    return month_of(timezone.localdate())


@pytest.fixture
def start(this_month: date) -> date:
    return add_months(this_month, -11)


@pytest.fixture
def campaign(cast: Cast, start: date) -> Campaign:
    return make_campaign(codes=[CHIYODA, HACHIOJI, OSAKA_CITY, TOKYO], start=start)
