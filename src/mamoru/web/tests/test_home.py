"""The home page shows each role its own organisation's real data, through the gate."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from mamoru.audit.models import AuditEvent
from mamoru.core import navigation
from mamoru.core.navigation import Attention, Level
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import System
from mamoru.orgs.services import api_token_create
from mamoru.testing import CHIYODA, HACHIOJI, OSAKA_CITY, Cast, SignIn, totp_device_for

pytestmark = pytest.mark.django_db


def text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined, no-any-return]


def test_anonymous_people_are_sent_to_the_login_page() -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/")


def test_a_person_of_no_organisation_is_told_so_with_status_403(
    cast: Cast, signed_in: SignIn
) -> None:
    response = signed_in(cast.outsider, mfa=False).get("/")
    assert response.status_code == 403
    assert "所属する団体がありません" in text(response)
    assert "outsider" in text(response)


def test_a_municipality_sees_its_profile_and_its_members(cast: Cast, signed_in: SignIn) -> None:
    response = signed_in(cast.chiyoda).get("/")
    assert response.status_code == 200
    page = text(response)
    assert "<h1>千代田区</h1>" in page
    assert "131016" in page
    assert "66,680人" in page
    assert "5万人以上10万人未満" in page
    assert [m.user.username for m in response.context["members"]] == ["chiyoda", "chiyoda_viewer"]


def test_members_without_mfa_need_attention_and_an_admin_without_it_is_urgent(
    cast: Cast,
    signed_in: SignIn,
) -> None:
    response = signed_in(cast.chiyoda_viewer, mfa=False).get("/")
    item = next(i for i in response.context["attention"] if i.key == "members-without-mfa")
    assert item.level == Level.DANGER
    assert list(item.entries) == ["chiyoda", "chiyoda_viewer"]


def test_members_with_mfa_are_not_listed_as_needing_it(cast: Cast, signed_in: SignIn) -> None:
    totp_device_for(cast.chiyoda)
    totp_device_for(cast.chiyoda_viewer)
    response = signed_in(cast.chiyoda).get("/")
    assert "members-without-mfa" not in [i.key for i in response.context["attention"]]
    assert "二要素認証を設定していない職員がいます" not in text(response)


def test_api_tokens_expiring_within_14_days_need_attention(cast: Cast, signed_in: SignIn) -> None:
    chiyoda = cast.org(CHIYODA)
    api_token_create(
        principal=System("test set-up"),
        user=cast.chiyoda,
        organisation=chiyoda,
        name="資産台帳連携",
        expires_in_days=3,
    )
    api_token_create(
        principal=System("test set-up"),
        user=cast.chiyoda,
        organisation=chiyoda,
        name="長期トークン",
        expires_in_days=60,
    )
    response = signed_in(cast.chiyoda).get("/")
    item = next(i for i in response.context["attention"] if i.key == "api-tokens-expiring")
    assert len(item.entries) == 1
    assert "資産台帳連携" in item.entries[0]
    assert "長期トークン" not in text(response)


def test_a_municipality_without_an_administrator_is_warned(cast: Cast, signed_in: SignIn) -> None:
    response = signed_in(cast.hachioji).get("/")
    item = next(i for i in response.context["attention"] if i.key == "administrators")
    assert item.level == Level.DANGER
    assert "管理者がいません" in text(response)


def test_reading_the_members_on_the_home_page_is_audited(cast: Cast, signed_in: SignIn) -> None:
    signed_in(cast.chiyoda).get("/")
    events = AuditEvent.objects.filter(action="orgs.members.read")
    assert events.count() == 1  # once per page, however many panels show the members
    event = events.get()
    assert event.actor_username == "chiyoda"
    assert event.target == CHIYODA
    assert event.organisation_code == CHIYODA


@pytest.fixture
def extra_check() -> Iterator[None]:
    def deadline_check(request: Any, principal: Any) -> Attention | None:
        return Attention(
            key="report-due",
            level=Level.INFO,
            title="確報の期限",
            detail=principal.organisation.name,
            url="/incidents/reports/",
        )

    navigation.attention_check(deadline_check)
    yield
    navigation._ATTENTION.pop(f"{deadline_check.__module__}.{deadline_check.__qualname__}")


def test_a_check_registered_by_another_app_appears_on_the_home_page(
    cast: Cast, extra_check: None, signed_in: SignIn
) -> None:
    response = signed_in(cast.chiyoda).get("/")
    assert "確報の期限" in text(response)


def test_a_prefecture_sees_its_municipalities_with_member_statistics(
    cast: Cast, signed_in: SignIn
) -> None:
    totp_device_for(cast.chiyoda)
    response = signed_in(cast.tokyo).get("/")
    rows = {r.organisation.code: r for r in response.context["rows"]}
    assert len(rows) == 62
    assert OSAKA_CITY not in rows
    assert (rows[CHIYODA].members, rows[CHIYODA].admin_with_mfa) == (2, True)
    assert (rows[HACHIOJI].members, rows[HACHIOJI].admin_with_mfa) == (1, False)


def test_an_admin_without_mfa_does_not_count_as_a_secure_admin(
    cast: Cast, signed_in: SignIn
) -> None:
    response = signed_in(cast.tokyo).get("/")
    rows = {r.organisation.code: r for r in response.context["rows"]}
    assert rows[CHIYODA].admin_with_mfa is False


def test_the_prefecture_search_returns_the_table_alone_to_htmx(
    cast: Cast, signed_in: SignIn
) -> None:
    client = signed_in(cast.tokyo)
    home = text(client.get("/"))
    assert 'hx-get="/organisations/municipalities/"' in home  # the home panel searches there
    url = "/organisations/municipalities/"
    response = client.get(url, {"q": "はちおうじ"}, headers={"HX-Request": "true"})
    assert [r.organisation.code for r in response.context["rows"]] == [HACHIOJI]
    assert "<html" not in text(response)
    assert "HX-Request" in response["Vary"]
    assert "<html" in text(client.get(url, {"q": "はちおうじ"}))


def test_the_nation_counts_every_local_government_by_prefecture_and_kind(
    cast: Cast, signed_in: SignIn
) -> None:
    response = signed_in(cast.nation).get("/")
    rows = response.context["rows"]
    assert len(rows) == 47
    assert response.context["municipalities"] == 1741
    tokyo = next(r for r in rows if r.prefecture.name == "東京都")
    assert tokyo.by_kind["special_ward"] == 23
    assert tokyo.total == 62
    assert '/organisations/?prefecture=13&amp;kind=special_ward"' in text(response)


def test_a_recipient_body_sees_its_profile_and_where_reports_will_appear(
    cast: Cast, signed_in: SignIn
) -> None:
    response = signed_in(cast.ppc).get("/")
    page = text(response)
    assert "<h1>個人情報保護委員会</h1>" in page
    assert "受け付けた報告" in page
    assert 'href="/incidents/inbox/"' in page


def test_a_national_body_without_children_is_not_the_nation(cast: Cast, signed_in: SignIn) -> None:
    assert not Organisation.objects.get(code="PPC").children.exists()
    response = signed_in(cast.ppc).get("/")
    assert "rows" not in response.context


def test_the_menu_groups_every_capability_once_under_a_few_headings(
    cast: Cast, signed_in: SignIn
) -> None:
    import re

    from mamoru.orgs.selectors import principal_for

    for person in (cast.chiyoda, cast.tokyo, cast.nation):
        principal = principal_for(user=person)
        entries = navigation.navigation_for(principal)
        page = text(signed_in(person).get("/"))
        menu = page[page.index('class="site-nav"') : page.index("</nav>")]
        links = re.findall(r'href="([^"]+)"', menu)
        assert sorted(links) == sorted(["/", *(e.url(principal) for e in entries)])
        groups = menu.count("<summary")
        top = menu.count('<li><a class="site-nav__link"') + groups
        assert top <= 1 + len(navigation.Section), (person.username, top)  # home + sections
        assert groups >= 1
    # the current page's group is marked, and its entry is the current page
    tokyo = text(signed_in(cast.tokyo).get("/incidents/inbox/"))
    assert "site-nav__link--current" in tokyo
    assert 'href="/incidents/inbox/" aria-current="page"' in tokyo


def test_what_one_can_do_is_listed_under_the_menus_headings(cast: Cast, signed_in: SignIn) -> None:
    import re

    from mamoru.orgs.selectors import principal_for

    principal = principal_for(user=cast.tokyo)
    page = text(signed_in(cast.tokyo).get("/"))
    listed = page[
        page.index('id="capabilities"') : page.index("</section>", page.index('id="capabilities"'))
    ]
    headings = re.findall(r'<h3 class="capabilities__heading" id="capabilities-(\w+)">', listed)
    used = {e.section.value for e in navigation.navigation_for(principal)}
    assert headings == [s.value for s in navigation.Section if s.value in used]
    assert len(headings) >= 3
    links = re.findall(r'class="capability__link" href="([^"]+)"', listed)
    assert sorted(links) == sorted(e.url(principal) for e in navigation.navigation_for(principal))
    other = text(signed_in(cast.chiyoda).get("/"))
    assert "/seccloud/prefectures/130001/" not in other[other.index('id="capabilities"') :]
