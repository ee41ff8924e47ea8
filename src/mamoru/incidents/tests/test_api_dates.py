"""Dates the schema calls valid are read, not refused with a 400: RFC 3339 allows "t" and
"z" in lower case and a leap second; a year outside 1990–2099 is a typing mistake, refused
with a 422 that names the field (schemathesis met each of them in CI)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from mamoru.accounts.models import User
from mamoru.api.exceptions import UnprocessableContent
from mamoru.api.fields import StrictDateField
from mamoru.incidents.models import ApprovalDeputy
from mamoru.incidents.testing import BASE
from mamoru.orgs.models import Membership
from mamoru.orgs.roles import Role
from mamoru.testing import Cast, SignIn

pytestmark = pytest.mark.django_db


def _name(signed_in: SignIn, ciso: User, user: str, ends_at: str) -> tuple[int, dict[str, Any]]:
    client = signed_in(ciso, api=True)
    body = {"user": user, "ends_at": ends_at, "reason": "CISOの出張"}
    answer = client.post(f"{BASE}/deputies/", body, format="json")
    return answer.status_code, answer.json()


@pytest.mark.parametrize("spelling", ["{d}t{t}z", "{d}T{t}Z", "{d}T23:59:60Z"])
def test_every_rfc3339_spelling_is_read(
    cast: Cast, ciso: User, signed_in: SignIn, spelling: str
) -> None:
    Membership.objects.filter(user=cast.chiyoda_viewer).update(role=Role.EDITOR)
    ends = timezone.now() + timedelta(days=5)
    text = spelling.format(d=ends.date().isoformat(), t=ends.strftime("%H:%M:%S"))
    status, body = _name(signed_in, ciso, "chiyoda_viewer", text)
    assert status == 201, body
    deputy = ApprovalDeputy.objects.get(pk=body["id"])
    assert deputy.ends_at.date() == ends.date()
    if ":60" in text:
        assert deputy.ends_at.second == 59


@pytest.mark.parametrize("year", ["0000", "1989", "2100", "9999"])
def test_a_year_outside_the_range_is_unprocessable_and_named(
    cast: Cast, ciso: User, signed_in: SignIn, year: str
) -> None:
    status, body = _name(signed_in, ciso, "chiyoda_viewer", f"{year}-01-01T00:00:00Z")
    assert status == 422
    assert "1990年1月1日から2099年12月31日" in body["ends_at"][0]
    assert not ApprovalDeputy.objects.exists()


def test_a_user_name_of_white_space_names_nobody(cast: Cast, ciso: User, signed_in: SignIn) -> None:
    ends = (timezone.now() + timedelta(days=5)).isoformat()
    status, body = _name(signed_in, ciso, " ", ends)
    assert status == 422
    assert "user" in body


def test_a_date_is_text_in_the_range() -> None:
    field = StrictDateField()
    field.field_name = "until"
    assert field.to_internal_value("2027-03-31").isoformat() == "2027-03-31"
    with pytest.raises(UnprocessableContent):
        field.to_internal_value("0206-03-31")
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        field.to_internal_value(20270331)
