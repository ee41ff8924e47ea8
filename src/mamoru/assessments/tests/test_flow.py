"""The campaign's flow through the services: sent, answered item by item, assigned,
submitted, returned with a comment, corrected, submitted again and accepted, closed and
frozen — with each step refused to whoever may not take it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mamoru.accounts.models import User
from mamoru.assessments import services
from mamoru.assessments.models import (
    Campaign,
    Framework,
    ItemTally,
    ReviewDecision,
    Snapshot,
    Submission,
    TargetStatus,
)
from mamoru.assessments.testing import SYSTEM, principal, target_of, uniform
from mamoru.core.exceptions import StateConflict
from mamoru.testing import CHIYODA, HACHIOJI, OSAKA_CITY, TOKYO, Cast

pytestmark = pytest.mark.django_db


def test_a_campaign_targets_the_organisations_it_names_with_their_size_class(
    national: Campaign,
) -> None:
    chiyoda = target_of(national, CHIYODA)
    assert chiyoda.size_class == "special_ward"
    assert chiyoda.prefecture_code == "13"
    assert chiyoda.status == TargetStatus.NOT_STARTED
    assert national.targets.count() == 5
    # One count per prefecture and item, and one per item for the whole campaign: all zero.
    cells = ItemTally.objects.unscoped("test").filter(campaign=national)
    assert cells.count() == 3 * national.framework.item_count  # 東京都, 大阪府 and the whole
    assert not cells.filter(met__gt=0).exists()


def test_only_the_nation_and_prefectures_send_campaigns_to_their_area(
    cast: Cast, framework: Framework
) -> None:
    with pytest.raises(PermissionDenied):
        services.campaign_create(
            principal=principal(cast.chiyoda),
            framework=framework,
            title="区の調査",
            deadline=timezone.now() + timedelta(days=3),
        )
    with pytest.raises(ValidationError, match="271004"):
        services.campaign_create(
            principal=principal(cast.tokyo),
            framework=framework,
            title="都の調査",
            deadline=timezone.now() + timedelta(days=3),
            organisation_codes=[CHIYODA, OSAKA_CITY],
        )


def test_the_full_flow_through_the_services(cast: Cast, ciso: User, national: Campaign) -> None:
    target = target_of(national, CHIYODA)
    editor = principal(cast.chiyoda)
    answers = uniform(national.framework, "special_ward")
    first = next(iter(answers))
    services.answer_save(principal=editor, target=target, item_id=first, option_id="partial")
    target.refresh_from_db()
    assert target.status == TargetStatus.ANSWERING
    services.answer_assign(principal=editor, target=target, item_id="ORG-02", assignee=ciso)
    # The editor may save but not submit: submitting is the CISO's.
    with pytest.raises(PermissionDenied):
        services.target_submit(principal=editor, target=target)
    submission = services.target_submit(principal=principal(ciso), target=target)
    assert submission.version == 1
    assert submission.completeness is not None
    assert submission.completeness < 5
    target.refresh_from_db()
    assert target.status == TargetStatus.SUBMITTED
    # Submitted answers are frozen until a supervisor returns them.
    with pytest.raises(StateConflict):
        services.answer_save(
            principal=editor, target=target, item_id=first, option_id="implemented"
        )
    # The sibling ward and another prefecture do not review 千代田区; Tokyo does.
    for outsider in (cast.hachioji, cast.osaka):
        with pytest.raises(PermissionDenied):
            services.target_review(
                principal=principal(outsider), target=target, decision="returned", comment="x"
            )
    with pytest.raises(ValidationError):
        services.target_review(principal=principal(cast.tokyo), target=target, decision="returned")
    review = services.target_review(
        principal=principal(cast.tokyo),
        target=target,
        decision=ReviewDecision.RETURNED,
        comment="未回答の項目が多いため、回答を補ってください。",
    )
    assert review.reviewer_organisation.code == TOKYO
    target.refresh_from_db()
    assert target.status == TargetStatus.RETURNED
    for item, option in answers.items():
        services.answer_save(principal=editor, target=target, item_id=item, option_id=option)
    second = services.target_submit(principal=principal(ciso), target=target)
    assert second.version == 2
    assert second.overall_coverage == 100.0
    assert second.overall_level == 3
    assert second.mandatory_unmet == 0
    services.target_review(principal=principal(cast.nation), target=target, decision="accepted")
    target.refresh_from_db()
    assert target.status == TargetStatus.ACCEPTED
    # The first submission stays as it was sent.
    assert (
        Submission.objects.unscoped("test").get(target=target, version=1).overall_coverage == 50.0
    )


def test_a_returned_submission_leaves_the_counts_until_it_is_submitted_again(
    cast: Cast, ciso: User, national: Campaign
) -> None:
    target = target_of(national, CHIYODA)
    answers = uniform(national.framework, "special_ward")
    services.answers_save(
        principal=principal(cast.chiyoda),
        target=target,
        answers={k: services.AnswerInput(v) for k, v in answers.items()},
        action="import",
    )
    services.target_submit(principal=principal(ciso), target=target)
    cells = ItemTally.objects.unscoped("test").filter(campaign=national, prefecture_code="13")
    assert cells.get(item_id="ORG-01").met == 1
    services.target_review(
        principal=principal(cast.tokyo), target=target, decision="returned", comment="確認"
    )
    assert cells.get(item_id="ORG-01").met == 0


def test_closing_freezes_the_counted_submissions_once(
    cast: Cast, ciso: User, national: Campaign
) -> None:
    target = target_of(national, CHIYODA)
    services.answers_save(
        principal=principal(cast.chiyoda),
        target=target,
        answers={
            k: services.AnswerInput(v)
            for k, v in uniform(national.framework, "special_ward").items()
        },
        action="import",
    )
    services.target_submit(principal=principal(ciso), target=target)
    with pytest.raises(PermissionDenied):
        services.campaign_close(principal=principal(cast.tokyo), campaign=national)
    services.campaign_close(principal=principal(cast.nation), campaign=national)
    # The immediate task backend runs the freeze when the close commits; here the test's
    # transaction never commits, so the service is called as the task would.
    snapshot = services.campaign_freeze(principal=SYSTEM, campaign=national)
    again = services.campaign_freeze(principal=SYSTEM, campaign=national)
    assert snapshot.pk == again.pk
    assert snapshot.organisations == 1
    assert Snapshot.objects.unscoped("test").count() == 1
    target.refresh_from_db()
    assert target.in_snapshot
    assert target.current_submission is not None
    assert target.current_submission.scores["overall"]["coverage"] == 100.0
    with pytest.raises(StateConflict):
        services.answer_save(
            principal=principal(cast.hachioji),
            target=target_of(national, HACHIOJI),
            item_id="ORG-01",
            option_id="implemented",
        )
