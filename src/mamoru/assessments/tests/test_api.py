"""The flow through the REST API: a prefecture sends its own campaign, a municipality
answers item by item and its CISO submits, the prefecture returns it with a comment,
it is corrected and accepted, the campaign closes, and the municipality reads its scores
and (only protected) peer figures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mamoru.accounts.models import User
from mamoru.assessments.models import Framework
from mamoru.assessments.testing import uniform
from mamoru.testing import CHIYODA, HACHIOJI, Cast, SignIn

pytestmark = pytest.mark.django_db


def test_a_prefectures_campaign_through_the_api(
    cast: Cast, framework: Framework, ciso: User, signed_in: SignIn
) -> None:
    tokyo = signed_in(cast.tokyo, api=True)
    created = tokyo.post(
        reverse("assessments_api:campaigns"),
        {
            "framework_urn": framework.urn,
            "title": "都の調査",
            "deadline": (timezone.now() + timedelta(days=20)).isoformat(),
            "organisation_codes": [CHIYODA, HACHIOJI],
        },
    )
    assert created.status_code == 201, created.content
    campaign_id = created.json()["id"]
    targets = tokyo.get(reverse("assessments_api:campaign_targets", args=[campaign_id])).json()
    assert [t["organisation"]["code"] for t in targets["results"]] == [CHIYODA, HACHIOJI]
    target_id = targets["results"][0]["id"]
    # The sibling city does not even see Chiyoda's target.
    hachioji = signed_in(cast.hachioji, api=True)
    assert hachioji.get(reverse("assessments_api:target", args=[target_id])).status_code == 404
    # Chiyoda answers item by item, then its CISO submits.
    chiyoda = signed_in(cast.chiyoda, api=True)
    for item, option in uniform(framework, "special_ward").items():
        answered = chiyoda.put(
            reverse("assessments_api:answer", args=[target_id, item]), {"option_id": option}
        )
        assert answered.status_code == 200
    unknown = chiyoda.put(
        reverse("assessments_api:answer", args=[target_id, "ZZZ-99"]), {"option_id": "implemented"}
    )
    assert unknown.status_code == 400
    assert "ZZZ-99" in str(unknown.json())
    assert chiyoda.post(reverse("assessments_api:submit", args=[target_id])).status_code == 403
    submitted = signed_in(ciso, api=True).post(reverse("assessments_api:submit", args=[target_id]))
    assert submitted.status_code == 201
    assert submitted.json()["overall_coverage"] == 100.0
    again = chiyoda.put(
        reverse("assessments_api:answer", args=[target_id, "ORG-01"]), {"option_id": "partial"}
    )
    assert again.status_code == 409
    returned = tokyo.post(
        reverse("assessments_api:review", args=[target_id]),
        {"decision": "returned", "comment": "ORG-01 の根拠資料を添付してください"},
    )
    assert returned.status_code == 201
    assert (
        chiyoda.put(
            reverse("assessments_api:answer", args=[target_id, "ORG-01"]), {"option_id": "partial"}
        ).status_code
        == 200
    )
    assert (
        signed_in(ciso, api=True)
        .post(reverse("assessments_api:submit", args=[target_id]))
        .json()["version"]
        == 2
    )
    assert (
        tokyo.post(
            reverse("assessments_api:review", args=[target_id]), {"decision": "accepted"}
        ).status_code
        == 201
    )
    scores = chiyoda.get(reverse("assessments_api:scores", args=[target_id])).json()
    assert scores["version"] == 2
    assert not scores["final"]
    overall = next(g for g in scores["groups"] if g["key"] == "overall")
    assert 90 < overall["coverage"] < 100
    # Peers: nothing before the close; the close is the sender's.
    assert chiyoda.get(reverse("assessments_api:peers", args=[target_id])).status_code == 404
    assert (
        chiyoda.post(reverse("assessments_api:campaign_close", args=[campaign_id])).status_code
        == 403
    )
    closed = tokyo.post(reverse("assessments_api:campaign_close", args=[campaign_id]))
    assert closed.json()["status"] == "closed"
    assert (
        tokyo.post(reverse("assessments_api:campaign_close", args=[campaign_id])).status_code == 409
    )
