"""Builders for the incidents app's tests: report contents and principals of the cast."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from rest_framework.test import APIClient

from mamoru.accounts.models import User
from mamoru.incidents.content import Contact, ReportContent, Tlp, to_dict
from mamoru.incidents.routing import Category, IncidentFacts, PersonalData
from mamoru.incidents.routing.testing import make_facts
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Principal, System
from mamoru.orgs.roles import Role
from mamoru.orgs.selectors import principal_for
from mamoru.orgs.services import membership_add

ALL_SECTIONS_TEXT: dict[str, str] = {
    "overview": "住民情報システムのサーバーで不審な通信を検知した。",
    "personal_data": "氏名・住所。対象者は調査中。",
    "cause": "VPN装置の脆弱性を悪用された可能性がある。",
    "actions": "該当サーバーをネットワークから切り離した。",
    "police": "警察に相談済み。",
}


def content(
    *,
    title: str = "住民情報システムへの不正アクセス",
    category: Category = Category.UNAUTHORISED_ACCESS,
    aware: datetime | None = None,
    people: int | None = None,
    sections: dict[str, str] | None = None,
    **fields: Any,
) -> ReportContent:
    """A report content; ``people`` adds leaked personal data of that many people, and
    keywords naming a fact (``serious=True``) go to the facts, the others to the content."""
    aware = aware or timezone.now() - timedelta(hours=2)
    personal = None if people is None else PersonalData(kinds=("氏名", "住所"), people=people)
    fact_fields = {k: fields.pop(k) for k in list(fields) if k in IncidentFacts.__slots__}
    facts = make_facts(category=category, aware=aware, personal_data=personal, **fact_fields)
    built = ReportContent(
        facts=facts,
        title=title,
        sections=dict(ALL_SECTIONS_TEXT if sections is None else sections),
        contact=Contact(name="情報政策課 山田", phone="03-0000-0000"),
        tlp=Tlp.AMBER,
    )
    return replace(built, **fields)


def content_dict(**kwargs: Any) -> dict[str, Any]:
    return to_dict(content(**kwargs))


def principal(user: User, code: str | None = None) -> Principal:
    found = principal_for(user=user, organisation_code=code)
    assert found is not None, f"{user} acts nowhere"
    return found


def add_member(username: str, organisation: Organisation, role: str = Role.CISO) -> User:
    from mamoru.testing import make_user

    user = make_user(username)
    membership_add(principal=System("test set-up"), user=user, organisation=organisation, role=role)
    return user


# The incidents API, as its tests drive it --------------------------------------------

BASE = "/api/v1/incidents"


def report_url(public_id: str, suffix: str = "") -> str:
    return f"{BASE}/reports/{public_id}/{suffix}"


def create(client: APIClient, data: dict[str, Any]) -> str:
    response = client.post(f"{BASE}/reports/", data, format="json")
    assert response.status_code == 201, response.content
    return str(response.json()["public_id"])


def submit(client: APIClient, public_id: str, *, final: bool = False) -> dict[str, Any]:
    response = client.post(report_url(public_id, "submit/"), {"final": final}, format="json")
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def inbox(client: APIClient) -> list[dict[str, Any]]:
    response = client.get(f"{BASE}/inbox/")
    assert response.status_code == 200
    items: list[dict[str, Any]] = response.json()["results"]
    return items
