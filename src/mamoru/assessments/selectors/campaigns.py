"""Reading campaigns, targets, answers, evidence, submissions, reviews and notes.

The gate (``orgs.policy``, ``DataKind.SURVEY_ANSWERS``):

* an organisation reads its own records (``data.view``): its working answers, evidence,
  submissions and the reviews of them;
* the hierarchy gives a prefecture its municipalities' records (``SUPERVISOR_ACCESS``)
  and routing gives the sender of a campaign the records sent to it
  (``ADDRESSED_ACCESS``): both read the *submitted* answers by name, for review and
  follow-up — never the working copy, which stays the organisation's until it submits;
* anyone else learns nothing: lookups raise ``DoesNotExist`` (404).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from mamoru.accounts.models import User
from mamoru.assessments.models import (
    EDITABLE,
    Answer,
    Campaign,
    CampaignStatus,
    Evidence,
    FollowUpNote,
    Framework,
    Review,
    Submission,
    Target,
)
from mamoru.audit.reads import audited_read
from mamoru.core.access import Permission
from mamoru.orgs.models import Organisation
from mamoru.orgs.policy import DataKind
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import (
    organisations_addressable,
    organisations_readable,
    people_acting_in,
)

DUE_SOON = timedelta(days=7)


def readable(principal: Principal) -> QuerySet[Organisation]:
    """Organisations whose survey records the principal reads: its own, and for a
    prefecture its municipalities."""
    return organisations_readable(principal=principal, kind=DataKind.SURVEY_ANSWERS)


def addressed(principal: Principal) -> QuerySet[Organisation]:
    """The principal's own organisation, as the sender of campaigns it reads answers of."""
    return organisations_addressable(principal=principal, kind=DataKind.SURVEY_ANSWERS)


def _own(principal: Principal) -> QuerySet[Organisation]:
    return readable(principal).filter(pk=principal.organisation.pk)


# --- frameworks: public reference data -------------------------------------------------------


def frameworks() -> QuerySet[Framework]:
    """Every loaded framework version (public: no principal needed)."""
    return Framework.objects.order_by("slug", "-version")


def framework_get(*, pk: int) -> Framework:
    return Framework.objects.get(pk=pk)


# --- campaigns and targets -------------------------------------------------------------------


def campaigns_visible(*, principal: Principal) -> QuerySet[Campaign]:
    """Campaigns the principal's organisation sent, or that were sent to it or to an
    organisation whose records it reads; newest first."""
    sent = Campaign.objects.within(addressed(principal))
    # Campaign.objects.addressed_to(readable) says the same, but joins every target of a
    # campaign (1,788 for a national one) and needs DISTINCT; a semi-join on the gated
    # targets does not.
    received = Campaign.objects.unscoped(
        "sent to organisations whose records the gate lets the principal read"
    ).filter(pk__in=Target.objects.within(readable(principal)).values("campaign_id"))
    return (
        (sent | received)
        .select_related("owner", "framework")
        .defer("framework__document")  # a framework's YAML is read once, where it is used
        .order_by("-created_at", "-pk")
    )


def campaign_get(*, principal: Principal, pk: int) -> Campaign:
    """One visible campaign; ``Campaign.DoesNotExist`` otherwise."""
    return campaigns_visible(principal=principal).get(pk=pk)


def is_sender(principal: Principal, campaign: Campaign) -> bool:
    """Whether the principal acts for the organisation that sent ``campaign``."""
    return campaign.owner_id == principal.organisation.pk and principal.can(Permission.DATA_VIEW)


def targets_visible(*, principal: Principal) -> QuerySet[Target]:
    """Targets (an organisation in a campaign) the principal reads."""
    own_and_below = Target.objects.within(readable(principal))
    sent_to_us = Target.objects.addressed_to(addressed(principal))
    return (
        (own_and_below | sent_to_us)
        .select_related(
            "organisation", "campaign__owner", "campaign__framework", "current_submission"
        )
        .defer("campaign__framework__document")  # read once, where it is used
    )


def targets_of(*, principal: Principal, campaign: Campaign) -> QuerySet[Target]:
    """The targets of ``campaign`` the principal reads, by organisation code."""
    return (
        targets_visible(principal=principal)
        .filter(campaign=campaign)
        .order_by("organisation__code")
    )


def own_target(*, principal: Principal, campaign: Campaign) -> Target | None:
    """The principal's own organisation's target in ``campaign``, if it was asked."""
    return (
        Target.objects.within(_own(principal))
        .select_related("organisation", "campaign__framework", "current_submission")
        .filter(campaign=campaign)
        .first()
    )


def _target_arg(arguments: Mapping[str, Any]) -> str:
    return f"target:{arguments.get('pk', '')}"


@audited_read("assessments.target.read", target=_target_arg)
def target_get(*, principal: Principal, pk: int) -> Target:
    """One target the principal reads; ``Target.DoesNotExist`` otherwise (recorded)."""
    return targets_visible(principal=principal).get(pk=pk)


def own_targets(*, principal: Principal) -> QuerySet[Target]:
    """The campaigns the principal's organisation was asked to answer, open ones first."""
    return (
        Target.objects.within(_own(principal))
        .select_related("campaign__owner", "campaign__framework", "current_submission")
        .order_by("campaign__status", "campaign__deadline", "-pk")
    )


def targets_due_soon(*, principal: Principal, now: datetime | None = None) -> QuerySet[Target]:
    """The principal's organisation's open campaigns not submitted yet whose deadline is
    within ``DUE_SOON`` (or has passed while the campaign is still open)."""
    now = now or timezone.now()
    return own_targets(principal=principal).filter(
        status__in=EDITABLE,
        campaign__status=CampaignStatus.OPEN,
        campaign__deadline__lte=now + DUE_SOON,
    )


# --- answers, evidence, submissions, reviews, notes -----------------------------------------


def answers_of(*, principal: Principal, target: Target) -> dict[str, Answer]:
    """The working answers of the principal's own organisation, by item (empty for a
    supervisor: what it reads is the submission)."""
    rows = Answer.objects.within(_own(principal)).filter(target=target).select_related("assignee")
    return {row.item_id: row for row in rows}


def assigned_to(*, principal: Principal) -> QuerySet[Answer]:
    """Items of open campaigns assigned to the principal's person, not answered yet."""
    return (
        Answer.objects.within(_own(principal))
        .filter(
            assignee=principal.user,
            option_id="",
            target__status__in=EDITABLE,
            target__campaign__status=CampaignStatus.OPEN,
        )
        .select_related("target__campaign")
        .order_by("target__campaign__deadline", "item_id")
    )


def colleagues(*, principal: Principal, target: Target) -> list[User]:
    """Whom an item may be assigned to: the organisation's people who may answer."""
    if target.organisation_id != principal.organisation.pk:
        return []
    return people_acting_in(organisation=target.organisation, permission=Permission.DATA_EDIT)


def _evidence(principal: Principal) -> QuerySet[Evidence]:
    return Evidence.objects.within(readable(principal)) | Evidence.objects.addressed_to(
        addressed(principal)
    )


def evidence_of(*, principal: Principal, target: Target) -> dict[str, list[Evidence]]:
    """The files attached to the target's answers, by item (without their content)."""
    found: dict[str, list[Evidence]] = {}
    rows = (
        _evidence(principal)
        .filter(answer__target=target)
        .select_related("answer", "uploaded_by")
        .defer("content")
        .order_by("uploaded_at", "pk")
    )
    for row in rows:
        found.setdefault(row.answer.item_id, []).append(row)
    return found


@audited_read("assessments.evidence.read")
def evidence_get(*, principal: Principal, pk: int) -> Evidence:
    """One attached file with its content; ``Evidence.DoesNotExist`` outside the gate."""
    return _evidence(principal).select_related("answer__target__organisation").get(pk=pk)


def submissions_of(*, principal: Principal, target: Target) -> QuerySet[Submission]:
    """Every submitted version of the target's answers, newest first."""
    sent = Submission.objects.within(readable(principal)) | Submission.objects.addressed_to(
        addressed(principal)
    )
    return sent.filter(target=target).select_related("submitted_by").order_by("-version")


def reviews_of(*, principal: Principal, target: Target) -> QuerySet[Review]:
    """The supervisors' decisions on the target's submissions, oldest first."""
    decided = Review.objects.within(readable(principal)) | Review.objects.addressed_to(
        addressed(principal)
    )
    return (
        decided.filter(target=target)
        .select_related("reviewer", "reviewer_organisation", "submission")
        .order_by("decided_at", "pk")
    )


def notes_of(*, principal: Principal, target: Target) -> QuerySet[FollowUpNote]:
    """Follow-up notes on the target, for its supervisors and the campaign's sender only
    (they are the supervisors' working notes, not messages to the organisation)."""
    if target.organisation_id == principal.organisation.pk:
        return FollowUpNote.objects.none()
    kept = FollowUpNote.objects.within(readable(principal)) | FollowUpNote.objects.addressed_to(
        addressed(principal)
    )
    return (
        kept.filter(target=target)
        .select_related("author", "author_organisation")
        .order_by("-created_at", "-pk")
    )
