"""Fixtures shared by every test: the organisations (loaded once per database) and the cast."""

from __future__ import annotations

import fcntl
import os
import subprocess
from pathlib import Path
from typing import Any

import hypothesis
import pytest

pytest_plugins = ["mamoru.testing.fixtures"]

LOCALE = Path(__file__).parent / "mamoru" / "locale"

# No per-example deadline nor "too slow" check: speed is measured in bench/, never asserted
# in tests, and both fail property tests at random on a loaded two-core machine.
hypothesis.settings.register_profile(
    "mamoru", deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow]
)
hypothesis.settings.load_profile("mamoru")


def _compile_catalogues() -> None:
    """Compile our .po files whose .mo is missing or older, before any test loads them, so
    a fresh clone's suite does not depend on build-assets having run or on test order.
    The lock keeps parallel workers from reading a half-written .mo."""
    for po in LOCALE.glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        with po.open("rb") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                    subprocess.run(["msgfmt", "--check", "-o", str(mo), str(po)], check=True)  # noqa: S603, S607
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def pytest_configure(config: pytest.Config) -> None:
    _compile_catalogues()
    # Argon2 is deliberately slow; the tests check behaviour, not the hash's cost.
    # Pure-library tests run with ``-p no:django`` and have no settings to touch.
    if config.pluginmanager.hasplugin("django"):
        from django.conf import settings

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Tests that never reach a database: the engines (scanner, log analytics), the routing
# rules, the version and calendar arithmetic, and the lints over the source. Listed, not
# inferred: some tests reach a database of their own (workers in subprocesses, threads)
# without any pytest-django fixture.
_DATABASE_FREE = (
    "src/mamoru/asm/engine/",
    "src/mamoru/seccloud/engine/",
    "src/mamoru/incidents/tests/test_routing_",
    "src/mamoru/vulns/tests/test_versions.py",
    "src/mamoru/vulns/tests/test_cpe_applicability.py",
    "src/mamoru/core/tests/test_jpcalendar.py",
    "src/mamoru/core/tests/test_tenancy.py",
    "src/mamoru/core/tests/test_architecture.py",
)
# Fixtures through which a test reaches the test database.
_DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The PostgreSQL run (``make test`` runs the suite on SQLite, then again with
    ``MAMORU_DATABASE_URL`` at a throw-away PostgreSQL) leaves out the database-free tests:
    they ran already and would run the same code twice."""
    if not os.environ.get("MAMORU_DATABASE_URL", "").startswith("postgres"):
        return
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        listed = item.nodeid.startswith(_DATABASE_FREE)
        names = set(getattr(item, "fixturenames", ()))
        reaches = item.get_closest_marker("django_db") or names & _DATABASE_FIXTURES
        (drop if listed and not reaches else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(autouse=True)
def _default_language(request: pytest.FixtureRequest) -> None:
    """Every test starts in the default language (Japanese). A request in English leaves
    English active on the thread (LocaleMiddleware activates it, nothing resets it), so a
    service called directly by the next test on that worker wrote its notes in English."""
    if request.config.pluginmanager.hasplugin("django"):
        from django.utils import translation

        translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    # The organisations are reference data every test needs: load them once per test
    # database (each xdist worker has its own) instead of once per test.
    from mamoru.testing import ensure_organisations

    with django_db_blocker.unblock():
        ensure_organisations()
