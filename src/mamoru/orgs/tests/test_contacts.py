"""The incident contact of an organisation: who may record it, what is refused, where it
shows, and the operator's command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from mamoru.audit.models import AuditEvent
from mamoru.orgs.principal import System
from mamoru.orgs.roles import Role
from mamoru.orgs.selectors import principal_for
from mamoru.orgs.services import organisation_contact_update
from mamoru.testing import CHIYODA, TOKYO, Cast, SignIn, add_member

pytestmark = pytest.mark.django_db


def test_a_prefecture_admin_records_its_csirt_number_and_the_directory_shows_it(
    cast: Cast, signed_in: SignIn
) -> None:
    add_member(cast.tokyo, cast.org(TOKYO), Role.ADMIN)
    admin = principal_for(user=cast.tokyo, organisation_code=TOKYO)
    assert admin is not None
    tokyo = organisation_contact_update(
        principal=admin,
        organisation=cast.org(TOKYO),
        desk="東京都CSIRT",
        phone="03-5388-0000",
        email="csirt@metro.example.lg.jp",
        hours="平日 8:30〜17:15（時間外は代表電話）",
    )
    assert tokyo.has_incident_contact
    assert AuditEvent.objects.filter(
        action="orgs.organisation.contact_update", target=TOKYO
    ).exists()
    page = signed_in(cast.tokyo).get(f"/organisations/{TOKYO}/").text
    assert "東京都CSIRT" in page
    assert 'href="tel:03-5388-0000"' in page


def test_only_its_own_administrators_or_the_system_may_change_it(cast: Cast) -> None:
    editor = principal_for(user=cast.hachioji)
    assert editor is not None
    with pytest.raises(PermissionDenied):
        organisation_contact_update(principal=editor, organisation=cast.org(TOKYO), phone="03-1")
    chiyoda_admin = principal_for(user=cast.chiyoda, organisation_code=CHIYODA)
    assert chiyoda_admin is not None
    with pytest.raises(PermissionDenied):  # an admin of another organisation
        organisation_contact_update(
            principal=chiyoda_admin, organisation=cast.org(TOKYO), phone="03-1234-5678"
        )
    organisation_contact_update(
        principal=System("test"), organisation=cast.org("NPA"), phone="03-3581-0141"
    )


def test_a_phone_number_or_mail_address_that_is_not_one_is_refused_in_japanese(
    cast: Cast,
) -> None:
    with pytest.raises(ValidationError) as refused:
        organisation_contact_update(
            principal=System("test"),
            organisation=cast.org(TOKYO),
            phone="call me",
            email="not-an-address",
        )
    assert set(refused.value.message_dict) == {"phone", "email"}
    assert "電話番号" in refused.value.message_dict["phone"][0]


def test_the_operator_sets_and_shows_a_contact_from_the_command_line(cast: Cast) -> None:
    out = StringIO()
    call_command("org", "contact", "NCO", "--phone", "03-0000-0000", stdout=out)
    call_command("org", "contact", "NCO", "--desk", "受付窓口", stdout=out)
    shown = out.getvalue()
    assert "phone: 03-0000-0000" in shown
    assert "desk: 受付窓口" in shown
    assert cast.org("NCO").incident_contact_phone == "03-0000-0000"
