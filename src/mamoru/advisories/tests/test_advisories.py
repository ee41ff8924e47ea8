"""Advisories reach exactly their recipients, who acknowledge and answer; the nation sees
the state per prefecture, a prefecture its municipalities; organisations share back with
TLP — and nobody else reads any of it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mamoru.advisories import selectors, services, targeting
from mamoru.advisories.models import Advisory, AdvisoryDelivery
from mamoru.advisories.testing import vpn_content
from mamoru.progress.audience import Audience, AudienceKind
from mamoru.progress.testing import principal
from mamoru.testing import CHIYODA, HACHIOJI, OSAKA_CITY, Cast, SignIn, results

pytestmark = pytest.mark.django_db


def delivery(advisory: Advisory, code: str) -> AdvisoryDelivery:
    return AdvisoryDelivery.objects.unscoped("test").get(advisory=advisory, organisation__code=code)


def test_an_advisory_reaches_exactly_its_audience(advisory: Advisory) -> None:
    codes = set(
        AdvisoryDelivery.objects.unscoped("test")
        .filter(advisory=advisory)
        .values_list("organisation__code", flat=True)
    )
    assert codes == {CHIYODA, HACHIOJI, OSAKA_CITY}


@pytest.mark.parametrize("who", ["tokyo", "chiyoda"])
def test_only_the_nation_publishes(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.advisory_publish(
            principal=principal(getattr(cast, who)),
            content=vpn_content(),
            audience=Audience(AudienceKind.ALL),
        )


def test_content_is_checked_field_by_field(cast: Cast) -> None:
    with pytest.raises(ValidationError) as refused:
        services.advisory_publish(
            principal=principal(cast.nation),
            content=vpn_content(title="", tlp="red", cves=("2024-1",), urgency="soon"),
            audience=Audience(AudienceKind.ALL),
        )
    assert set(refused.value.message_dict) == {"title", "tlp", "cves", "urgency"}


def test_targeting_by_exposure_waits_for_the_attack_surface_diagnosis(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    nation = principal(cast.nation)
    with pytest.raises(ValidationError, match="宛先を指定して"):
        services.advisory_publish(principal=nation, content=vpn_content(), by_exposure=True)
    chiyoda_pk = cast.org(CHIYODA).pk
    seen: list[Any] = []

    def organisations_exposing(*, products: Any) -> list[int]:
        seen.append(products)
        return [chiyoda_pk, cast.org("PPC").pk]  # a recipient body is never targeted

    monkeypatch.setattr(targeting, "exposure_source", lambda: organisations_exposing)
    advisory = services.advisory_publish(principal=nation, content=vpn_content(), by_exposure=True)
    (only,) = AdvisoryDelivery.objects.unscoped("test").filter(advisory=advisory)
    assert only.organisation_id == chiyoda_pk
    assert only.matched
    assert seen[0][0].product == "fortios"
    assert services.advisories_retarget() == 0  # idempotent: nobody new is exposed


def test_a_recipient_acknowledges_and_answers(cast: Cast, advisory: Advisory) -> None:
    chiyoda = principal(cast.chiyoda)
    copy = delivery(advisory, CHIYODA)
    services.advisory_acknowledge(principal=chiyoda, delivery=copy)
    services.advisory_answer(principal=chiyoda, delivery=copy, answer="fixed", note="更新済み")
    copy.refresh_from_db()
    assert copy.answer == "fixed"
    assert copy.acknowledged_at is not None
    for who in ("hachioji", "chiyoda_viewer", "tokyo"):
        with pytest.raises(PermissionDenied):
            services.advisory_answer(
                principal=principal(getattr(cast, who)), delivery=copy, answer="affected"
            )


def test_the_nation_sees_the_state_per_prefecture(cast: Cast, advisory: Advisory) -> None:
    services.advisory_answer(
        principal=principal(cast.chiyoda), delivery=delivery(advisory, CHIYODA), answer="affected"
    )
    services.advisory_answer(
        principal=principal(cast.osaka_city),
        delivery=delivery(advisory, OSAKA_CITY),
        answer="not_affected",
    )
    states = {
        s.name: s
        for s in selectors.advisory_state(principal=principal(cast.nation), advisory=advisory)
    }
    assert set(states) == {"東京都", "大阪府"}
    assert (
        states["東京都"].recipients,
        states["東京都"].affected,
        states["東京都"].unanswered,
    ) == (2, 1, 1)
    assert states["大阪府"].not_affected == 1
    tokyo_view = selectors.advisory_state(principal=principal(cast.tokyo), advisory=advisory)
    assert [s.name for s in tokyo_view] == ["東京都"]  # only its municipalities


@pytest.mark.parametrize("who", ["ppc", "outsider"])
def test_others_cannot_read_the_advisory(
    cast: Cast, advisory: Advisory, signed_in: SignIn, who: str
) -> None:
    client = signed_in(getattr(cast, who))
    for name in ("advisory", "advisory_state"):
        assert client.get(reverse(f"advisories:{name}", args=[advisory.public_id])).status_code in (
            403,
            404,
        )
    export = client.get(reverse("advisories:advisory_export", args=[advisory.public_id, "stix"]))
    assert export.status_code in (403, 404)
    api = signed_in(getattr(cast, who), api=True).get(f"/api/v1/advisories/{advisory.public_id}/")
    assert api.status_code in (403, 404)


def test_a_prefecture_reads_what_reached_its_municipalities_only(
    cast: Cast, signed_in: SignIn
) -> None:
    only_tokyo = services.advisory_publish(
        principal=principal(cast.nation),
        content=vpn_content(),
        audience=Audience(AudienceKind.LIST, codes=(CHIYODA,)),
    )
    assert (
        signed_in(cast.tokyo)
        .get(reverse("advisories:advisory", args=[only_tokyo.public_id]))
        .status_code
        == 200
    )
    assert (
        signed_in(cast.osaka)
        .get(reverse("advisories:advisory", args=[only_tokyo.public_id]))
        .status_code
        == 404
    )
    assert (
        signed_in(cast.osaka_city)
        .get(reverse("advisories:advisory", args=[only_tokyo.public_id]))
        .status_code
        == 404
    )


def test_the_pages_of_a_recipient_and_of_the_nation(
    cast: Cast, advisory: Advisory, signed_in: SignIn
) -> None:
    chiyoda = signed_in(cast.chiyoda)
    listed = chiyoda.get(reverse("advisories:advisories")).content.decode()
    assert advisory.title in listed
    assert "未確認" in listed
    detail = chiyoda.get(reverse("advisories:advisory", args=[advisory.public_id])).content.decode()
    assert "<strong>VPN装置</strong>" in detail
    assert "fortinet fortios &gt;= 7.0.0, &lt; 7.0.14" in detail
    chiyoda.post(
        reverse("advisories:advisory_answer", args=[advisory.public_id]), {"answer": "affected"}
    )
    assert delivery(advisory, CHIYODA).answer == "affected"
    state = signed_in(cast.nation).get(
        reverse("advisories:advisory_state", args=[advisory.public_id])
    )
    assert 'id="state-table"' in state.content.decode()
    drill = signed_in(cast.nation).get(
        reverse("advisories:advisory_state", args=[advisory.public_id]) + "?prefecture=13"
    )
    assert "八王子市" in drill.content.decode()
    assert "大阪市" not in drill.content.decode()
    stix = chiyoda.get(reverse("advisories:advisory_export", args=[advisory.public_id, "stix"]))
    assert stix["Content-Disposition"].startswith("attachment;")
    assert b'"type": "bundle"' in stix.content


def test_the_api_publishes_and_answers(cast: Cast, signed_in: SignIn) -> None:
    nation = signed_in(cast.nation, api=True)
    body = {
        "title": "テスト",
        "summary": "概要",
        "actions_first": "確認する",
        "urgency": "low",
        "importance": "low",
        "tlp": "clear",
        "audience": {"kind": "list", "codes": [CHIYODA]},
    }
    created = nation.post("/api/v1/advisories/", body)
    assert created.status_code == 201, created.content
    assert signed_in(cast.tokyo, api=True).post("/api/v1/advisories/", body).status_code == 403
    public_id = created.json()["id"]
    chiyoda = signed_in(cast.chiyoda, api=True)
    assert [d["advisory"]["id"] for d in results(chiyoda.get("/api/v1/advisories/"))] == [public_id]
    answered = chiyoda.post(f"/api/v1/advisories/{public_id}/answer/", {"answer": "not_affected"})
    assert answered.json()["answer"] == "not_affected"
    state = nation.get(f"/api/v1/advisories/{public_id}/state/").json()
    assert state == [
        {
            "prefecture": "東京都",
            "code": "130001",
            "recipients": 1,
            "acknowledged": 1,
            "affected": 0,
            "not_affected": 1,
            "fixed": 0,
            "unanswered": 0,
        }
    ]
    assert nation.get(f"/api/v1/advisories/{public_id}/misp/").json()["Event"]["info"] == "テスト"


def test_sharing_back_reaches_the_prefecture_and_the_nation_by_choice(
    cast: Cast, signed_in: SignIn
) -> None:
    shared = services.share_create(
        principal=principal(cast.chiyoda),
        kind="phishing",
        title="請求書を装ったメール",
        body="添付を開かずに削除した。",
        indicators=["invoice@example.net", "invoice@example.net", "203.0.113.9"],
        tlp="amber",
        attachments=[SimpleUploadedFile("mail.eml", b"From: invoice@example.net")],
    )
    assert shared.indicators == ["invoice@example.net", "203.0.113.9"]
    private = services.share_create(
        principal=principal(cast.chiyoda),
        kind="observation",
        title="都だけに",
        body="x",
        tlp="red",
        to_nation=False,
    )
    assert set(selectors.shares_visible(principal=principal(cast.tokyo))) == {shared, private}
    assert list(selectors.shares_visible(principal=principal(cast.nation))) == [shared]
    for who in ("hachioji", "osaka", "osaka_city"):
        assert list(selectors.shares_visible(principal=principal(getattr(cast, who)))) == []
        page = signed_in(getattr(cast, who)).get(
            reverse("advisories:share", args=[shared.public_id])
        )
        assert page.status_code == 404
    attachment = shared.attachments.get()
    download = signed_in(cast.tokyo).get(
        reverse("advisories:share_attachment", args=[shared.public_id, attachment.pk])
    )
    assert download["Content-Type"] == "application/octet-stream"
    assert (
        signed_in(cast.nation)
        .get(reverse("advisories:share", args=[private.public_id]))
        .status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        services.share_create(
            principal=principal(cast.ppc), kind="observation", title="t", body="b"
        )
