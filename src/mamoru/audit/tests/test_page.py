"""The audit log page shows an organisation its own entries, to those with ``audit.view``."""

from __future__ import annotations

import pytest
from django.test import Client

from mamoru.audit.models import AuditEvent
from mamoru.audit.services import audit_record
from mamoru.testing import CHIYODA, HACHIOJI, Cast, SignIn

pytestmark = pytest.mark.django_db


def test_an_administrator_sees_their_own_organisations_entries_only(
    cast: Cast, signed_in: SignIn
) -> None:
    audit_record(action="orgs.token.create", actor=cast.chiyoda, organisation=cast.org(CHIYODA))
    audit_record(action="orgs.grant.create", actor=cast.hachioji, organisation=cast.org(HACHIOJI))
    response = signed_in(cast.chiyoda).get("/audit/")
    assert response.status_code == 200
    assert "APIトークンを発行" in response.text  # the action in plain words
    rows = [e for e, _label in response.context["rows"]]
    assert "orgs.token.create" in [e.action for e in rows]
    assert "orgs.grant.create" not in [e.action for e in rows]  # 八王子市's
    assert {e.organisation_code for e in rows} == {CHIYODA}


def test_reading_the_audit_log_is_itself_recorded(cast: Cast, signed_in: SignIn) -> None:
    signed_in(cast.chiyoda).get("/audit/", REMOTE_ADDR="203.0.113.9")
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.actor_username, event.target) == (
        "audit.log.read",
        "chiyoda",
        CHIYODA,
    )


@pytest.mark.parametrize(
    "who", ["chiyoda_viewer", "hachioji", "osaka_city", "tokyo", "nation", "outsider"]
)
def test_people_without_audit_view_are_refused(cast: Cast, who: str, signed_in: SignIn) -> None:
    audit_record(action="orgs.grant.revoke", organisation=cast.org(CHIYODA))
    response = signed_in(getattr(cast, who)).get("/audit/")
    assert response.status_code == 403
    assert response.context is None or "rows" not in response.context


def test_anonymous_people_are_sent_to_the_login_page() -> None:
    response = Client().get("/audit/")
    assert response.status_code == 302
    assert "/accounts/login" in response["Location"]


def test_reading_the_log_again_and_again_records_one_read(cast: Cast, signed_in: SignIn) -> None:
    client = signed_in(cast.chiyoda)
    for page in range(1, 4):
        client.get(f"/audit/?page={page}")
    client.get("/audit/?action=orgs.token.create")
    assert AuditEvent.objects.filter(action="audit.log.read").count() == 1


def test_the_log_is_filtered_by_who_what_and_when(cast: Cast, signed_in: SignIn) -> None:
    chiyoda = cast.org(CHIYODA)
    audit_record(action="orgs.token.create", actor=cast.chiyoda, organisation=chiyoda)
    audit_record(action="orgs.grant.create", actor=cast.chiyoda_viewer, organisation=chiyoda)
    client = signed_in(cast.chiyoda)
    by_action = client.get("/audit/?action=orgs.grant.create")
    assert [e.action for e, _label in by_action.context["rows"]] == ["orgs.grant.create"]
    by_person = client.get("/audit/?who=viewer")
    assert {e.actor_username for e, _label in by_person.context["rows"]} == {"chiyoda_viewer"}
    future = client.get("/audit/?since=2099-01-01")
    assert future.context["rows"] == []
    assert "条件に合う記録はありません" in future.text


def test_a_reversed_date_range_is_explained_in_japanese(cast: Cast, signed_in: SignIn) -> None:
    response = signed_in(cast.chiyoda).get("/audit/?since=2026-05-01&until=2026-04-01")
    assert response.status_code == 200
    assert "終わりの日は始まりの日より後にしてください" in response.text


def test_the_log_is_paged(cast: Cast, signed_in: SignIn) -> None:
    chiyoda = cast.org(CHIYODA)
    for _ in range(60):
        audit_record(action="orgs.token.create", actor=cast.chiyoda, organisation=chiyoda)
    client = signed_in(cast.chiyoda)
    first, second = client.get("/audit/"), client.get("/audit/?page=2")
    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) >= 11
    assert "次のページ" in first.text
