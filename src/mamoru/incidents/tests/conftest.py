"""Fixtures of the incidents app: a CISO for 千代田区 (the cast has none) and the tasks
run where they are enqueued, so that e-mails reach ``mail.outbox``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from mamoru.accounts.models import User
from mamoru.incidents.testing import add_member
from mamoru.testing import CHIYODA, Cast

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _immediate_tasks() -> Iterator[None]:
    with override_settings(TASKS=IMMEDIATE):
        yield


@pytest.fixture
def ciso(cast: Cast) -> User:
    return add_member("chiyoda_ciso", cast.org(CHIYODA))
