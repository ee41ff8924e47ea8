"""Who reads what: the organisation its own answers; its prefecture and the campaign's
sender its *submitted* answers by name; siblings, other prefectures and outsiders nothing
(404, as if it did not exist); the nation nothing of a prefecture's own campaign."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mamoru.accounts.models import User
from mamoru.assessments.models import Campaign, Framework, Target
from mamoru.assessments.testing import campaign, submit, target_of, uniform
from mamoru.testing import CHIYODA, OSAKA, OSAKA_CITY, Cast, SignIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(cast: Cast, ciso: User, national: Campaign) -> Target:
    target = target_of(national, CHIYODA)
    answers = uniform(national.framework, "special_ward")
    answers["TEC-18"] = "not_implemented"
    submit(target, answers, approver=ciso)
    target.refresh_from_db()
    return target


def _pages(target: Target) -> list[str]:
    return [
        reverse("assessments:target", args=[target.pk]),
        reverse("assessments:section", args=[target.pk, "organisation"]),
        reverse("assessments:report", args=[target.pk]),
        reverse("assessments:summary", args=[target.pk]),
        reverse("assessments:questionnaire", args=[target.pk, "csv"]),
        reverse("assessments_api:target", args=[target.pk]),
        reverse("assessments_api:answers", args=[target.pk]),
        reverse("assessments_api:scores", args=[target.pk]),
    ]


def test_siblings_other_prefectures_and_outsiders_learn_nothing(
    cast: Cast, submitted: Target, signed_in: SignIn
) -> None:
    for who in (cast.hachioji, cast.osaka_city, cast.osaka, cast.ppc):
        client = signed_in(who)
        for url in _pages(submitted):
            assert client.get(url).status_code == 404, (who, url)
        posted = client.post(
            reverse("assessments:answer", args=[submitted.pk, "ORG-01"]), {"option": "implemented"}
        )
        assert posted.status_code == 404
    outsider = signed_in(cast.outsider)
    assert outsider.get(_pages(submitted)[0]).status_code == 403


def test_the_prefecture_and_the_sender_read_submitted_answers_by_name(
    cast: Cast, submitted: Target, signed_in: SignIn
) -> None:
    url = reverse("assessments_api:answers", args=[submitted.pk])
    for who in (cast.tokyo, cast.nation):
        rows = signed_in(who, api=True).get(url).json()
        assert {r["item_id"]: r["option_id"] for r in rows}["TEC-18"] == "not_implemented"
        assert all(r["submitted"] for r in rows)
        page = signed_in(who).get(reverse("assessments:target", args=[submitted.pk]))
        assert page.status_code == 200
        assert "TEC-18" in page.content.decode()


def test_supervisors_never_read_the_working_copy(
    cast: Cast, submitted: Target, ciso: User, signed_in: SignIn
) -> None:
    # Returned, then changed but not yet resubmitted: Tokyo reads version 1 only.
    from mamoru.assessments import services
    from mamoru.assessments.testing import principal

    services.target_review(
        principal=principal(cast.tokyo), target=submitted, decision="returned", comment="直して"
    )
    services.answer_save(
        principal=principal(cast.chiyoda), target=submitted, item_id="TEC-18", option_id="partial"
    )
    url = reverse("assessments_api:answers", args=[submitted.pk])
    tokyo = {r["item_id"]: r["option_id"] for r in signed_in(cast.tokyo, api=True).get(url).json()}
    own = {r["item_id"]: r["option_id"] for r in signed_in(cast.chiyoda, api=True).get(url).json()}
    assert tokyo["TEC-18"] == "not_implemented"
    assert own["TEC-18"] == "partial"


def test_the_nation_does_not_read_a_prefectures_own_campaign(
    cast: Cast, framework: Framework, signed_in: SignIn
) -> None:
    from mamoru.assessments.testing import person

    osaka_campaign = campaign(framework, owner=OSAKA, codes=[OSAKA_CITY], title="大阪府の調査")
    target = target_of(osaka_campaign, OSAKA_CITY)
    submit(target, uniform(framework, "designated_city"), approver=person(OSAKA_CITY))
    nation = signed_in(cast.nation, api=True)
    assert nation.get(reverse("assessments_api:target", args=[target.pk])).status_code == 404
    assert (
        nation.get(reverse("assessments_api:campaign", args=[osaka_campaign.pk])).status_code == 404
    )
    osaka = signed_in(cast.osaka, api=True)
    assert osaka.get(reverse("assessments_api:target", args=[target.pk])).status_code == 200
    dashboard = osaka.get(reverse("assessments_api:dashboard", args=[osaka_campaign.pk]))
    assert dashboard.json()["totals"] == {"submitted": 1}


def test_dashboards_are_for_the_sender_and_the_prefectures(
    cast: Cast, submitted: Target, signed_in: SignIn
) -> None:
    campaign_pk = submitted.campaign_id
    url = reverse("assessments_api:dashboard", args=[campaign_pk])
    assert signed_in(cast.chiyoda, api=True).get(url).status_code == 404
    national = signed_in(cast.nation, api=True).get(url).json()
    assert national["prefecture_code"] is None
    assert national["totals"] == {"submitted": 1, "not_started": 4}
    tokyo = signed_in(cast.tokyo, api=True).get(url).json()
    assert tokyo["prefecture_code"] == "13"
    assert tokyo["totals"] == {"submitted": 1, "not_started": 2}
    tec18 = next(r for r in tokyo["items"] if r["key"] == "TEC-18")
    assert (tec18["met"], tec18["unmet"]) == (0, 1)
    # Osaka's dashboard holds nothing of Tokyo's ward.
    osaka = signed_in(cast.osaka, api=True).get(url).json()
    assert next(r for r in osaka["items"] if r["key"] == "TEC-18")["unmet"] == 0


def test_evidence_is_read_by_the_organisation_and_its_reviewers_only(
    cast: Cast, national: Campaign, signed_in: SignIn
) -> None:
    from mamoru.assessments import services
    from mamoru.assessments.testing import principal

    target = target_of(national, CHIYODA)
    evidence = services.evidence_add(
        principal=principal(cast.chiyoda),
        target=target,
        item_id="ORG-01",
        filename="方針.pdf",
        data=b"%PDF-1.4 policy",
    )
    url = reverse("assessments:evidence", args=[evidence.pk])
    own = signed_in(cast.chiyoda).get(url)
    assert own.status_code == 200
    assert own["Content-Disposition"].startswith("attachment;")
    assert own["X-Content-Type-Options"] == "nosniff"
    assert own.content == b"%PDF-1.4 policy"
    assert signed_in(cast.tokyo).get(url).status_code == 200
    for who in (cast.hachioji, cast.osaka_city):
        assert signed_in(who).get(url).status_code == 404
