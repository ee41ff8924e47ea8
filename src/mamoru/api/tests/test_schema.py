"""schemathesis drives every operation of the OpenAPI schema: no server error, and every
response conforms to the schema, for a municipal administrator's token."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from mamoru.orgs.principal import System
from mamoru.orgs.roles import Role
from mamoru.orgs.selectors import organisation_by_code
from mamoru.orgs.services import api_token_create, membership_add
from mamoru.testing import CHIYODA, ensure_organisations, make_user

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
# A report that is well formed but contradicts itself (started after noticed) is a 422:
# JSON Schema cannot compare two dates, so a schema-valid body may rightly be refused.
schema.config.checks.positive_data_acceptance.expected_statuses.append("422")


@pytest.fixture(scope="module")
def token(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    # One administrator for the whole module (hypothesis runs many examples per test),
    # removed afterwards so that no other test sees it.
    with django_db_blocker.unblock():
        ensure_organisations()
        user = make_user("fuzzer")
        membership_add(
            principal=System("test set-up"),
            user=user,
            organisation=organisation_by_code(code=CHIYODA),
            role=Role.ADMIN,
        )
        _, plaintext = api_token_create(
            principal=System("test set-up"),
            user=user,
            organisation=organisation_by_code(code=CHIYODA),
            name="fuzz",
        )
    yield plaintext
    with django_db_blocker.unblock():
        user.delete()


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    # Calling the WSGI application directly fires request_finished, whose handler closes a
    # connection whose autocommit differs from its settings, which is the case inside the
    # test's transaction on PostgreSQL; Django's test client disconnects it the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db(transaction=False)
@pytest.mark.usefixtures("keep_test_connection")
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_fails_or_breaks_its_schema(case: Any, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
