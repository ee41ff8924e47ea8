"""The layout every page shares: language, skip link, acting organisation, switcher,
account links, the data credit; no inline code; assets served by the platform itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from mamoru.orgs.principal import System
from mamoru.orgs.roles import Role
from mamoru.orgs.services import membership_add
from mamoru.testing import CHIYODA, TOKYO, Cast, SignIn
from mamoru.web.templatetags.mamoru_web import number, population_band_label

CREDIT = "出典：総務省 全国地方公共団体コード、独立行政法人統計センター SSDSE-A-2025（令和2年国勢調査）を加工して作成"


@pytest.mark.django_db
def test_the_layout_is_japanese_first_with_a_skip_link_and_the_data_credit(
    cast: Cast, signed_in: SignIn
) -> None:
    page = signed_in(cast.chiyoda).get("/").content.decode()
    assert '<html lang="ja">' in page
    assert '<a class="skip-link" href="#main">本文へ移動</a>' in page
    assert '<main id="main"' in page
    assert CREDIT in page


@pytest.mark.django_db
def test_the_header_names_the_acting_organisation_and_the_person(
    cast: Cast, signed_in: SignIn
) -> None:
    page = signed_in(cast.chiyoda).get("/").content.decode()
    assert '<span class="acting-org__name">千代田区</span>' in page
    assert "chiyoda" in page
    assert 'href="/accounts/settings/"' in page
    assert re.search(r'<form[^>]*method="post" action="/accounts/logout/"', page)


@pytest.mark.django_db
def test_a_person_of_one_organisation_gets_no_switcher(cast: Cast, signed_in: SignIn) -> None:
    page = signed_in(cast.chiyoda).get("/").content.decode()
    assert 'name="organisation"' not in page


@pytest.mark.django_db
def test_a_person_of_several_organisations_can_switch_between_them(
    cast: Cast, signed_in: SignIn
) -> None:
    membership_add(
        principal=System("test set-up"),
        user=cast.tokyo,
        organisation=cast.org(CHIYODA),
        role=Role.VIEWER,
    )
    page = signed_in(cast.tokyo).get("/").content.decode()
    form = re.search(r'<form[^>]*action="/accounts/switch/".*?</form>', page, re.S)
    assert form is not None
    assert f'<option value="{TOKYO}" selected>' in form.group(0)
    assert f'<option value="{CHIYODA}">' in form.group(0)


@pytest.mark.django_db
def test_no_page_carries_inline_styles_or_scripts(cast: Cast, signed_in: SignIn) -> None:
    for user in [cast.chiyoda, cast.tokyo, cast.nation, cast.ppc]:
        page = signed_in(user).get("/").content.decode()
        assert " style=" not in page
        assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", page) == []
        assert "/static/vendor/htmx.min.js" in page
        assert "/static/vendor/tokens.css" in page


def test_the_vendor_assets_are_served_by_the_platform() -> None:
    for path in ["vendor/tokens.css", "vendor/htmx.min.js", "vendor/axe.min.js", "web/mamoru.css"]:
        assert finders.find(path), f"{path} missing: run scripts/build-assets.sh"


def static_text(path: str) -> str:
    found = finders.find(path)
    assert isinstance(found, str), f"{path} missing: run scripts/build-assets.sh"
    return Path(found).read_text(encoding="utf-8")


def test_the_stylesheets_use_only_defined_design_tokens() -> None:
    defined = set(re.findall(r"(--[\w-]+):", static_text("vendor/tokens.css")))
    ours = set(re.findall(r"(--[\w-]+):", static_text("web/mamoru.css")))
    for sheet in ["web/mamoru.css", "web/components.css"]:
        used = set(re.findall(r"var\((--[\w-]+)", static_text(sheet)))
        assert used - defined - ours == set(), f"{sheet} uses undefined custom properties"
        assert used & defined, f"{sheet} uses no design token"


@pytest.mark.django_db
def test_the_english_page_shows_english_headings_for_accept_language_en(
    cast: Cast, signed_in: SignIn
) -> None:
    page = signed_in(cast.chiyoda, headers={"Accept-Language": "en"}).get("/").content.decode()
    assert '<html lang="en">' in page
    assert "What needs attention" in page
    assert "Skip to main content" in page
    assert CREDIT in page  # the licence's credit line stays as written


@pytest.mark.django_db
def test_the_english_page_shows_english_headings_with_the_language_cookie(
    cast: Cast, signed_in: SignIn
) -> None:
    client = signed_in(cast.tokyo)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/").content.decode()
    assert "Municipalities in the prefecture" in page
    assert "Organisation code" in page


@pytest.mark.django_db
def test_the_language_switcher_works_without_signing_in() -> None:
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
def test_the_language_switcher_refuses_to_redirect_elsewhere() -> None:
    response = Client().post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_numbers_and_population_bands_read_as_people_say_them() -> None:
    assert number(1234567) == "1,234,567"
    assert number(None) == "—"
    assert population_band_label("10k-50k") == "1万人以上5万人未満"
    assert population_band_label(None) == "—"
