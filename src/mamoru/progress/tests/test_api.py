"""The progress API: the same flows as the pages, with a sibling, another prefecture and
an outsider refused on real records."""

from __future__ import annotations

from datetime import date

import pytest

from mamoru.progress import services
from mamoru.progress.models import Campaign
from mamoru.progress.testing import submit_month
from mamoru.testing import CHIYODA, HACHIOJI, TOKYO, Cast, SignIn, results

pytestmark = pytest.mark.django_db
BASE = "/api/v1/progress"


def test_a_month_is_reported_and_submitted_through_the_api(
    cast: Cast, campaign: Campaign, this_month: date, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda, api=True)
    report = f"{BASE}/campaigns/{campaign.key}/organisations/{CHIYODA}/reports/{this_month:%Y-%m}/"
    items = [{"code": f"{n:02d}", "step": 10, "delay_reason": "vendor"} for n in range(1, 21)]
    saved = client.put(report, {"items": items})
    assert saved.status_code == 200, saved.content
    assert saved.json()["status"] == "draft"
    assert {row["step"] for row in saved.json()["items"]} == {10}
    wrong = client.put(report, {"items": [{"code": "01", "step": "10"}]})
    assert wrong.status_code == 400
    submitted = client.post(report + "submit/")
    assert submitted.json()["status"] == "submitted"
    assert client.post(report + "submit/").status_code == 409
    standing = client.get(f"{BASE}/campaigns/{campaign.key}/organisations/{CHIYODA}/")
    assert standing.json()["items"][0]["step"] == 10
    plan = client.get(f"{BASE}/campaigns/{campaign.key}/").json()
    assert len(plan["items"]) == 20
    assert len(plan["items"][0]["planned_months"]) == 40


@pytest.mark.parametrize("who", ["hachioji", "osaka_city", "osaka", "outsider"])
def test_others_get_nothing_of_chiyoda(
    cast: Cast, campaign: Campaign, start: date, signed_in: SignIn, who: str
) -> None:
    submit_month(campaign, CHIYODA, start, {"01": 3})
    client = signed_in(getattr(cast, who), api=True)
    path = f"{BASE}/campaigns/{campaign.key}/organisations/{CHIYODA}/"
    for method, url in [
        ("get", path),
        ("get", path + "timeline/"),
        ("get", path + "follow-ups/"),
        ("get", path + f"reports/{start:%Y-%m}/"),
        ("put", path + f"reports/{start:%Y-%m}/"),
        ("post", path + f"reports/{start:%Y-%m}/unchanged/"),
    ]:
        response = getattr(client, method)(url, {"items": []})
        assert response.status_code in (403, 404), f"{who} {method} {url}"


def test_the_dashboards_answer_for_their_audience(
    cast: Cast, campaign: Campaign, this_month: date, signed_in: SignIn
) -> None:
    submit_month(campaign, HACHIOJI, this_month, {"01": 20})
    services.campaign_rollups_refresh(campaign=campaign)
    heat = signed_in(cast.tokyo, api=True).get(
        f"{BASE}/campaigns/{campaign.key}/prefectures/{TOKYO}/"
    )
    rows = results(heat)
    assert {r["organisation"]["code"] for r in rows} == {TOKYO, CHIYODA, HACHIOJI}
    national = signed_in(cast.nation, api=True).get(f"{BASE}/campaigns/{campaign.key}/national/")
    assert national.json()["total"]["participants"] == 4
    assert len(national.json()["items"]) == 20
    assert (
        signed_in(cast.tokyo, api=True)
        .get(f"{BASE}/campaigns/{campaign.key}/national/")
        .status_code
        == 403
    )
    assert (
        signed_in(cast.osaka, api=True)
        .get(f"{BASE}/campaigns/{campaign.key}/prefectures/{TOKYO}/")
        .status_code
        == 404
    )


def test_notices_questions_and_the_faq_through_the_api(cast: Cast, signed_in: SignIn) -> None:
    tokyo, chiyoda = signed_in(cast.tokyo, api=True), signed_in(cast.chiyoda, api=True)
    notice = tokyo.post(
        f"{BASE}/notices/",
        {
            "title": "締切のお知らせ",
            "body": "本文",
            "audience": {"kind": "list", "codes": [CHIYODA]},
        },
    )
    assert notice.status_code == 201, notice.content
    pk = notice.json()["id"]
    assert [n["notice"]["id"] for n in results(chiyoda.get(f"{BASE}/notices/"))] == [pk]
    assert results(signed_in(cast.hachioji, api=True).get(f"{BASE}/notices/")) == []
    assert chiyoda.post(f"{BASE}/notices/{pk}/confirm/").json()["confirmed_at"]
    recipients = results(tokyo.get(f"{BASE}/notices/{pk}/recipients/"))
    assert recipients[0]["confirmed_at"]
    assert chiyoda.get(f"{BASE}/notices/{pk}/recipients/").status_code == 404
    assert (
        chiyoda.post(f"{BASE}/notices/", notice.json() | {"audience": {"kind": "all"}}).status_code
        == 403
    )

    asked = chiyoda.post(
        f"{BASE}/questions/",
        {"category": "cloud", "title": "ガバメントクラウドの費用", "body": "按分の考え方は？"},
    )
    assert asked.status_code == 201
    qid = asked.json()["id"]
    assert (
        tokyo.post(f"{BASE}/questions/{qid}/forward/", {"note": "国へ"}).json()["status"]
        == "forwarded"
    )
    nation = signed_in(cast.nation, api=True)
    assert (
        nation.post(f"{BASE}/questions/{qid}/answer/", {"answer": "手引きを参照"}).status_code
        == 200
    )
    entry = nation.post(
        f"{BASE}/questions/{qid}/faq/",
        {
            "category": "cloud",
            "title": "ガバメントクラウドの費用の按分",
            "body": "按分",
            "answer": "手引き",
        },
    )
    assert entry.status_code == 201
    found = results(signed_in(cast.osaka_city, api=True).get(f"{BASE}/faq/", {"q": "クラウド"}))
    assert [f["title"] for f in found] == ["ガバメントクラウドの費用の按分"]
