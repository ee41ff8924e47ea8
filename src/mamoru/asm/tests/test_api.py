"""The API: the same access rules, filters and paging as the pages, over a real scan."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mamoru.asm.models import FindingStatus
from mamoru.asm.testing import Scanned
from mamoru.testing import CHIYODA, HACHIOJI, Cast, SignIn, results

pytestmark = pytest.mark.django_db


def test_findings_are_listed_filtered_and_paged(
    scanned: Scanned, cast: Cast, signed_in: SignIn
) -> None:
    api = signed_in(cast.chiyoda, api=True)
    url = reverse("asm_api:findings", args=[CHIYODA])
    rows = results(api.get(url))
    assert {r["kind"] for r in rows} == set(scanned.findings)
    assert [r["priority"] for r in rows] == sorted(r["priority"] for r in rows)
    only = results(api.get(url, {"q": "CVE-2024-6387"}))
    assert [r["vulnerability_id"] for r in only] == ["CVE-2024-6387"]
    paged = api.get(url, {"limit": 1})
    assert paged.json()["count"] == len(rows)
    assert len(paged.json()["results"]) == 1
    assert api.get(url, {"priority": 9}).status_code == 400
    assert api.get(url, {"limit": "x"}).status_code == 400
    detail = api.get(reverse("asm_api:finding", args=[rows[0]["id"]])).json()
    assert detail["explanation"]["meaning"]
    assert detail["events"][0]["action"] == "found"


def test_the_lifecycle_through_the_api_refuses_others(
    scanned: Scanned, cast: Cast, signed_in: SignIn
) -> None:
    listing = scanned.findings["http-directory-listing"]
    action = reverse("asm_api:finding_action", args=[listing.pk, "acknowledge"])
    assert signed_in(cast.hachioji, api=True).post(action, {}).status_code == 404
    assert signed_in(cast.tokyo, api=True).post(action, {}).status_code == 403
    api = signed_in(cast.chiyoda, api=True)
    answer = api.post(action, {"note": "委託先に連絡"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == FindingStatus.ACKNOWLEDGED
    assert api.post(action, {}).status_code == 409  # already acknowledged
    accept = reverse("asm_api:finding_action", args=[listing.pk, "accept"])
    assert api.post(accept, {"reason": "x", "until": "2000-01-01"}).status_code == 400


def test_assets_and_scans_through_the_api(scanned: Scanned, cast: Cast, signed_in: SignIn) -> None:
    api = signed_in(cast.chiyoda, api=True)
    created = api.post(
        reverse("asm_api:assets", args=[CHIYODA]), {"kind": "hostname", "value": "www.example.jp"}
    )
    assert created.status_code == 201, created.content
    assert created.json()["scope_state"] == "proposed"
    bad = api.post(reverse("asm_api:assets", args=[CHIYODA]), {"kind": "ip", "value": "nonsense"})
    assert bad.status_code == 400
    assert "IP アドレス" in str(bad.json())
    assets = results(api.get(reverse("asm_api:assets", args=[CHIYODA])))
    assert {a["value"] for a in assets} == {scanned.lab.ip, "www.example.jp"}
    scan = results(api.get(reverse("asm_api:scans", args=[CHIYODA])))[0]
    assert (scan["status"], scan["progress"]) == ("succeeded", 100)
    services = results(api.get(reverse("asm_api:services", args=[CHIYODA])))
    assert len(services) == 2
    sibling = signed_in(cast.hachioji, api=True)
    for name in ("asm_api:assets", "asm_api:scans", "asm_api:services", "asm_api:findings"):
        assert sibling.get(reverse(name, args=[CHIYODA])).status_code == 404
    assert results(sibling.get(reverse("asm_api:findings", args=[HACHIOJI]))) == []
    prefecture = signed_in(cast.tokyo, api=True)
    assert len(results(prefecture.get(reverse("asm_api:findings", args=[CHIYODA])))) == len(
        scanned.findings
    )


def test_who_is_exposed_to_a_vulnerability_through_the_gate(
    scanned: Scanned, cast: Cast, signed_in: SignIn
) -> None:
    url = reverse("asm_api:exposures", args=["CVE-2024-6387"])
    nation = results(signed_in(cast.nation, api=True).get(url))
    assert [(r["organisation"], r["port"]) for r in nation] == [(CHIYODA, scanned.lab.ports["ssh"])]
    assert len(results(signed_in(cast.tokyo, api=True).get(url))) == 1
    for who in (cast.osaka, cast.hachioji, cast.ppc):
        assert results(signed_in(who, api=True).get(url)) == []
