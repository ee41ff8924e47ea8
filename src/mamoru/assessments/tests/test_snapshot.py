"""Peer statistics through the snapshot: nothing is published before the campaign
closes (a median that moved as each organisation submitted would reveal that one's
answers), the figures come from the frozen snapshot only and never move afterwards,
a tampered snapshot is refused, and a small group's telling rates stay hidden."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mamoru.assessments import definitions, services
from mamoru.assessments.library import SnapshotError
from mamoru.assessments.models import Campaign, Framework, Snapshot, Submission
from mamoru.assessments.selectors import peer_view
from mamoru.assessments.testing import (
    SYSTEM,
    campaign,
    person,
    principal,
    target_of,
    uniform,
)
from mamoru.testing import Cast, SignIn

pytestmark = pytest.mark.django_db


def _first_ward(wards: list[str]) -> str:
    return sorted(wards)[0]


def test_no_peer_figure_exists_before_the_campaign_closes(
    cast: Cast, framework: Framework, wards: list[str], signed_in: SignIn
) -> None:
    made = campaign(framework, codes=wards)
    answers = {code: uniform(framework, "special_ward") for code in wards}
    services.submissions_import(principal=SYSTEM, campaign=made, answers=answers)
    target = target_of(made, _first_ward(wards))
    viewer = person(target.organisation.code, username="ward-viewer")
    assert peer_view(principal=principal(viewer), target=target) is None
    client = signed_in(viewer, api=True)
    assert client.get(reverse("assessments_api:peers", args=[target.pk])).status_code == 404
    report = signed_in(viewer).get(reverse("assessments:report", args=[target.pk])).content.decode()
    assert "締切後に表示します" in report


def test_figures_come_from_the_frozen_snapshot_and_never_move(
    cast: Cast, closed: Campaign, wards: list[str]
) -> None:
    target = target_of(closed, _first_ward(wards))
    viewer = principal(person(target.organisation.code, username="ward-viewer"))
    before = peer_view(principal=viewer, target=target)
    assert before is not None
    assert before.organisations == 23
    median = before.by_size["coverage:overall"].distribution.median
    # Whatever happens to the records afterwards (an operator's correction, a bug), the
    # published figures are the snapshot's: rewrite every submission to 100 %.
    full = uniform(closed.framework, "special_ward")
    Submission.objects.unscoped("test").filter(target__campaign=closed).update(answers=full)
    definitions._STATISTICS.clear()  # as in a fresh process
    after = peer_view(principal=viewer, target=target)
    assert after is not None
    assert after.by_size["coverage:overall"].distribution.median == median


def test_a_tampered_snapshot_is_refused(cast: Cast, closed: Campaign, wards: list[str]) -> None:
    snapshot = Snapshot.objects.unscoped("test").get(campaign=closed)
    document = dict(snapshot.document)
    records = [dict(r) for r in document["records"]]
    records[0]["values"] = {**records[0]["values"], "coverage:overall": 99.0}
    document["records"] = records
    Snapshot.objects.unscoped("test").filter(pk=snapshot.pk).update(document=document)
    definitions._STATISTICS.clear()
    target = target_of(closed, _first_ward(wards))
    with pytest.raises(SnapshotError):
        peer_view(principal=principal(person(target.organisation.code)), target=target)


def test_the_api_shows_a_ward_only_protected_aggregates(
    cast: Cast, closed: Campaign, wards: list[str], signed_in: SignIn
) -> None:
    code = _first_ward(wards)
    target = target_of(closed, code)
    body = (
        signed_in(person(code, username="ward-viewer"), api=True)
        .get(reverse("assessments_api:peers", args=[target.pk]))
        .json()
    )
    text = str(body)
    assert all(other not in text for other in wards)  # no organisation is named
    overall = next(
        c
        for c in body["comparisons"]
        if c["metric"] == "coverage:overall" and c["dimension"] == "size_class"
    )
    assert overall["group"] == "東京都の特別区"
    assert overall["n"] == 23
    assert overall["value"] is not None


def test_a_rate_that_would_tell_the_others_answers_is_withheld(
    cast: Cast, framework: Framework, wards: list[str], signed_in: SignIn
) -> None:
    # Seven wards; all but one implement ORG-01. Any ward that does not would learn from a
    # published rate that every other ward does: the rate must not be shown to anyone.
    chosen = sorted(wards)[:7]
    answers = {code: uniform(framework, "special_ward") for code in chosen}
    answers[chosen[0]]["ORG-01"] = "not_implemented"
    made = campaign(framework, codes=chosen, title="少数の調査")
    services.submissions_import(principal=SYSTEM, campaign=made, answers=answers)
    services.campaign_close(principal=SYSTEM, campaign=made)
    services.campaign_freeze(principal=SYSTEM, campaign=made)
    target = target_of(made, chosen[0])
    view = peer_view(principal=principal(person(chosen[0])), target=target)
    assert view is not None
    assert "ORG-01" not in view.item_rates
    report = signed_in(person(chosen[0], username="w0")).get(
        reverse("assessments:report", args=[target.pk])
    )
    assert "ORG-01" in report.content.decode()  # its own gap is listed…
    assert "の実施率 85.7%" not in report.content.decode()  # …without the telling rate
