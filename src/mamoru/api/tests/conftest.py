"""Fixtures of the schema tests (``mamoru.testing.fuzz`` has the rest)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import signals
from django.db import close_old_connections, transaction
from rest_framework.throttling import SimpleRateThrottle

from mamoru.testing.fuzz import World, build_world


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once per module inside a transaction rolled back after it, so no other test
    sees it; each operation's examples run in a savepoint of it (``django_db``)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def fuzzing(monkeypatch: pytest.MonkeyPatch) -> Iterator[Iterator[int]]:
    """Calls of the WSGI application as the fuzzer makes them; yields the example counter.

    Calling the application directly fires request_finished, whose handler closes a
    connection whose autocommit differs from its settings, which is the case inside the
    test's transaction on PostgreSQL; Django's test client disconnects it the same way.
    Throttling is off: at the fuzzer's pace most examples would otherwise be 429s.
    """
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield itertools.count()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
