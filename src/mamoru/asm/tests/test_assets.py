"""Assets and scope: who may add and approve, what is refused, the all-or-nothing import,
and the names discovery suggests from the organisation's own DNS."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mamoru.asm import services
from mamoru.asm.models import Asset, DiscoverySuggestion, ScopeState, SuggestionState
from mamoru.asm.testing import SYSTEM, principal
from mamoru.asm.tests.loopback import Lab
from mamoru.core.tabular import xlsx_bytes
from mamoru.testing import CHIYODA, Cast, SignIn

pytestmark = pytest.mark.django_db


def test_an_editor_adds_assets_that_wait_for_approval(cast: Cast, settings: Any) -> None:
    chiyoda = principal(cast.chiyoda, CHIYODA)
    organisation = chiyoda.organisation
    asset = services.asset_create(
        principal=chiyoda,
        organisation=organisation,
        kind="url",
        value="HTTPS://Portal.Example.JP/login",
    )
    assert (asset.value, asset.scope_state) == ("https://portal.example.jp:443/login", "proposed")
    with pytest.raises(ValidationError, match="すでに登録"):
        services.asset_create(principal=chiyoda, organisation=organisation, kind="url",
                              value="https://portal.example.jp/login")  # fmt: skip
    with pytest.raises(ValidationError, match="広すぎます"):
        services.asset_create(principal=chiyoda, organisation=organisation, kind="range",
                              value="8.0.0.0/8")  # fmt: skip
    settings.SCAN_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError, match="インターネットから届かない範囲"):
        services.asset_create(principal=chiyoda, organisation=organisation, kind="ip",
                              value="192.168.1.1")  # fmt: skip
    viewer = principal(cast.chiyoda_viewer, CHIYODA)
    with pytest.raises(PermissionDenied):
        services.asset_create(principal=viewer, organisation=organisation, kind="domain",
                              value="example.jp")  # fmt: skip


def test_the_nation_adds_on_behalf_but_only_the_organisation_approves(
    cast: Cast, signed_in: SignIn
) -> None:
    nation = principal(cast.nation)
    chiyoda = principal(cast.chiyoda, CHIYODA)
    asset = services.asset_create(
        principal=nation, organisation=chiyoda.organisation, kind="domain", value="city.example.jp"
    )
    assert asset.added_on_behalf
    assert asset.added_for == nation.organisation
    with pytest.raises(PermissionDenied):
        services.asset_approve(principal=nation, asset=asset)
    tokyo = principal(cast.tokyo)
    with pytest.raises(PermissionDenied):  # a prefecture supports, it does not add
        services.asset_create(principal=tokyo, organisation=chiyoda.organisation, kind="ip",
                              value="203.0.113.9")  # fmt: skip
    page = signed_in(cast.chiyoda).get(reverse("asm:assets", args=[CHIYODA])).content.decode()
    assert "総務省が代わりに登録" in page
    assert "承認を待っている資産が1件あります" in page
    signed_in(cast.chiyoda).post(reverse("asm:assets_approve_all", args=[CHIYODA]))
    asset.refresh_from_db()
    assert asset.scope_state == ScopeState.APPROVED


def test_an_import_saves_nothing_while_a_row_is_wrong(cast: Cast, signed_in: SignIn) -> None:
    chiyoda = principal(cast.chiyoda, CHIYODA)
    bad = (
        "種類,値,ポート,担当\r\n"
        "ドメイン,city.example.jp,,情報政策課\r\n"
        "IPアドレス,999.1.1.1,,\r\n"
        "ホスト名,www.city.example.jp,99999,\r\n"
        "ドメイン,city.example.jp,,\r\n"
    ).encode("cp932")
    with pytest.raises(ValidationError) as refused:
        services.assets_import(principal=chiyoda, organisation=chiyoda.organisation, data=bad,
                               filename="assets.csv")  # fmt: skip
    messages = refused.value.messages
    assert [m.split("行目")[0] for m in messages] == ["3", "4", "5"]
    assert Asset.objects.count() == 0
    good = xlsx_bytes({"資産": (["種類", "値", "担当"], [
        ["ドメイン", "city.example.jp", "情報政策課"],
        ["アドレス範囲", "203.0.113.0/28", "=cmd|' /C calc'!A0"],
    ])})  # fmt: skip
    summary = services.assets_import(
        principal=chiyoda, organisation=chiyoda.organisation, data=good, filename="assets.xlsx"
    )
    assert [a.value for a in summary.created] == ["city.example.jp", "203.0.113.0/28"]
    again = services.assets_import(
        principal=chiyoda, organisation=chiyoda.organisation, data=good, filename="assets.xlsx"
    )
    assert (again.created, sorted(again.already)) == ([], ["203.0.113.0/28", "city.example.jp"])
    page = signed_in(cast.chiyoda).post(
        reverse("asm:assets_import", args=[CHIYODA]),
        {"file": _upload("assets.csv", bad)},
    )
    assert page.status_code == 400
    assert "3行目" in page.content.decode()


def _upload(name: str, data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_discovery_suggests_only_names_inside_the_organisations_domains(
    cast: Cast, lab: Lab
) -> None:
    domain = "city.example.jp"
    lab.zone.update({
        (domain, "MX"): ["10 mail.city.example.jp.", "20 mx.provider.example."],
        (domain, "NS"): ["ns1.provider.example."],
        (domain, "TXT"): ['"v=spf1 include:_spf.city.example.jp include:spf.other.example -all"'],
        (f"www.{domain}", "A"): ["127.0.0.1"],
        (f"vpn.{domain}", "CNAME"): ["sslvpn.city.example.jp."],
    })  # fmt: skip
    chiyoda = principal(cast.chiyoda, CHIYODA)
    asset = services.asset_create(
        principal=SYSTEM, organisation=chiyoda.organisation, kind="domain", value=domain
    )
    services.asset_approve(principal=chiyoda, asset=asset)
    found = services.suggestions_discover(principal=chiyoda, organisation=chiyoda.organisation)
    by_name = {s.value: s.source for s in found}
    assert by_name == {
        "mail.city.example.jp": "dns-mx",
        "_spf.city.example.jp": "spf-include",
        "www.city.example.jp": "well-known",
        "sslvpn.city.example.jp": "dns-cname",
    }
    www = DiscoverySuggestion.objects.get(value="www.city.example.jp")
    added = services.suggestion_accept(principal=chiyoda, suggestion=www)
    assert (added.kind, added.scope_state, added.added_via) == ("hostname", "proposed", "discovery")
    mail_name = DiscoverySuggestion.objects.get(value="mail.city.example.jp")
    services.suggestion_reject(principal=chiyoda, suggestion=mail_name)
    assert services.suggestions_discover(principal=chiyoda, organisation=chiyoda.organisation) == []
    mail_name.refresh_from_db()
    assert mail_name.state == SuggestionState.REJECTED
