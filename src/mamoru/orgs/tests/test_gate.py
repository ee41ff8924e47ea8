"""The access gate decides, from the hierarchy and the policy table, who reads what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mamoru.orgs.models import Organisation
from mamoru.orgs.policy import Access, DataKind
from mamoru.orgs.principal import Principal, System
from mamoru.orgs.selectors import (
    organisation_get,
    organisations_readable,
    organisations_visible,
    principal_for,
)
from mamoru.orgs.services import grant_create, grant_revoke
from mamoru.testing import CHIYODA, HACHIOJI, OSAKA_CITY, TOKYO, Cast

pytestmark = pytest.mark.django_db


def acting(user: object, code: str | None = None) -> Principal:
    principal = principal_for(user=user, organisation_code=code)  # type: ignore[arg-type]
    assert principal is not None
    return principal


def codes(qs: object) -> set[str]:
    return {o.code for o in qs}  # type: ignore[attr-defined]


def test_a_municipality_sees_itself_its_supervisors_and_the_national_bodies(cast: Cast) -> None:
    visible = codes(organisations_visible(principal=acting(cast.chiyoda)))
    assert {CHIYODA, TOKYO, "MIC", "PPC"} <= visible
    assert HACHIOJI not in visible
    assert OSAKA_CITY not in visible
    assert len(visible) == 12  # itself, 東京都 and the 10 national bodies (総務省 among them)


def test_a_prefecture_sees_its_municipalities_and_not_another_prefectures(cast: Cast) -> None:
    visible = codes(organisations_visible(principal=acting(cast.tokyo)))
    assert {TOKYO, CHIYODA, HACHIOJI} <= visible
    assert OSAKA_CITY not in visible
    tokyo_and_its_62 = Organisation.objects.filter(prefecture_code="13").count()
    assert tokyo_and_its_62 == 63
    assert len(visible) == tokyo_and_its_62 + 10  # plus the national bodies


def test_the_nation_sees_every_organisation(cast: Cast) -> None:
    assert organisations_visible(principal=acting(cast.nation)).count() == 1798


def test_an_outsider_has_no_principal(cast: Cast) -> None:
    assert principal_for(user=cast.outsider) is None


def test_a_sibling_municipality_cannot_get_another(cast: Cast) -> None:
    with pytest.raises(Organisation.DoesNotExist):
        organisation_get(principal=acting(cast.hachioji), code=CHIYODA)


def test_supervisors_read_records_or_statistics_by_policy(cast: Cast) -> None:
    tokyo = acting(cast.tokyo)
    nation = acting(cast.nation)
    assert CHIYODA in codes(organisations_readable(principal=tokyo, kind=DataKind.FINDINGS))
    # Incident records stay with the municipality; supervisors get statistics only.
    assert CHIYODA not in codes(organisations_readable(principal=tokyo, kind=DataKind.INCIDENTS))
    assert CHIYODA in codes(
        organisations_readable(principal=tokyo, kind=DataKind.INCIDENTS, access=Access.STATISTICS)
    )
    # The prefecture reviews survey answers; the nation sees only statistics of them.
    assert CHIYODA in codes(organisations_readable(principal=tokyo, kind=DataKind.SURVEY_ANSWERS))
    assert CHIYODA not in codes(
        organisations_readable(principal=nation, kind=DataKind.SURVEY_ANSWERS)
    )
    assert OSAKA_CITY not in codes(organisations_readable(principal=tokyo, kind=DataKind.FINDINGS))


def test_nobody_reads_anothers_audit_log(cast: Cast) -> None:
    readable = codes(organisations_readable(principal=acting(cast.tokyo), kind=DataKind.AUDIT))
    assert readable == set()  # an editor has no audit permission, even in its own prefecture
    assert codes(organisations_readable(principal=acting(cast.chiyoda), kind=DataKind.AUDIT)) == {
        CHIYODA
    }


def test_a_grant_lets_a_person_act_inside_another_organisation_until_it_expires(cast: Cast) -> None:
    chiyoda = cast.org(CHIYODA)
    assert principal_for(user=cast.tokyo, organisation_code=CHIYODA) is None
    grant = grant_create(
        principal=System("test set-up"),
        grantee=cast.tokyo,
        organisation=chiyoda,
        role="editor",
        reason="DXアクセラレータ派遣",
        expires_at=timezone.now() + timedelta(days=90),
    )
    inside = acting(cast.tokyo, CHIYODA)
    assert inside.via_grant
    assert inside.supervisor is None
    grant_revoke(principal=System("test set-up"), grant=grant)
    assert principal_for(user=cast.tokyo, organisation_code=CHIYODA) is None


def test_an_expired_grant_gives_nothing(cast: Cast) -> None:
    grant_create(
        principal=System("test set-up"),
        grantee=cast.osaka,
        organisation=cast.org(CHIYODA),
        role="viewer",
        reason="期限切れ",
        starts_at=timezone.now() - timedelta(days=10),
        expires_at=timezone.now() - timedelta(days=1),
    )
    assert principal_for(user=cast.osaka, organisation_code=CHIYODA) is None
