"""The audit log page shows an organisation its own entries, to those with ``audit.view``."""

from __future__ import annotations

import pytest
from django.test import Client

from mamoru.accounts.models import User
from mamoru.audit.models import AuditEvent
from mamoru.audit.services import audit_record
from mamoru.core.testing import CHIYODA, HACHIOJI, Cast, login_verified

pytestmark = [pytest.mark.django_db, pytest.mark.urls("mamoru.audit.tests.urls")]


def client_for(user: User) -> Client:
    """Signed in with a verified second factor, which administrators and staff need."""
    return login_verified(Client(), user)


def test_an_administrator_sees_their_own_organisations_entries_only(cast: Cast) -> None:
    audit_record(action="test.mine", actor=cast.chiyoda, organisation=cast.org(CHIYODA))
    audit_record(action="test.sibling", actor=cast.hachioji, organisation=cast.org(HACHIOJI))
    response = client_for(cast.chiyoda).get("/audit/")
    assert response.status_code == 200
    assert "test.mine" in response.text
    assert "test.sibling" not in response.text


def test_reading_the_audit_log_is_itself_recorded(cast: Cast) -> None:
    client_for(cast.chiyoda).get("/audit/", REMOTE_ADDR="203.0.113.9")
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.actor_username, event.target) == ("audit.read", "chiyoda", CHIYODA)


@pytest.mark.parametrize(
    "who", ["chiyoda_viewer", "hachioji", "osaka_city", "tokyo", "nation", "outsider"]
)
def test_people_without_audit_view_are_refused(cast: Cast, who: str) -> None:
    audit_record(action="test.secret", organisation=cast.org(CHIYODA))
    response = client_for(getattr(cast, who)).get("/audit/")
    assert response.status_code == 403
    assert "test.secret" not in response.text


def test_anonymous_people_are_sent_to_the_login_page() -> None:
    response = Client().get("/audit/")
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]
