"""Starting a campaign: the plan copied in, its items and steps, and who takes part."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mamoru.core.access import Permission
from mamoru.orgs.models import Organisation, OrganisationKind
from mamoru.orgs.principal import Actor, Principal, audit, require
from mamoru.progress.audience import Audience, audience_clean, audience_organisations
from mamoru.progress.lateness import add_months, month_of
from mamoru.progress.models import Campaign, CampaignItem, CampaignStep, Participation
from mamoru.progress.plan import Plan


def _owner(principal: Actor, owner: Organisation | None) -> Organisation:
    if isinstance(principal, Principal):
        owner = principal.organisation
    if owner is None or owner.kind != OrganisationKind.NATIONAL:
        raise PermissionDenied(_("進捗管理を開始できるのは国の担当者です。"))
    return owner


@transaction.atomic
def campaign_create(
    *,
    principal: Actor,
    plan: Plan,
    key: str,
    start_month: date,
    audience: Audience,
    title: str = "",
    late_margin: int | None = None,
    owner: Organisation | None = None,
) -> Campaign:
    """Start a campaign of ``plan`` from ``start_month`` for ``audience`` (the nation's
    editors; the system names the ``owner``). The plan is copied, so a later version of
    the file does not change a running campaign."""
    owner = _owner(principal, owner)
    require(principal, Permission.DATA_EDIT, organisation=owner)
    margin = plan.late_margin if late_margin is None else late_margin
    if not 1 <= margin <= 24:
        raise ValidationError({"late_margin": [_("遅れとみなす月数は1から24までです。")]})
    if Campaign.objects.filter(key=key).exists():
        raise ValidationError({"key": [_("このキーの進捗管理はすでにあります。")]})
    audience = audience_clean(audience, sender=owner)
    start = month_of(start_month)
    campaign = Campaign.objects.create(
        key=key,
        title=title or plan.title,
        description=plan.description,
        plan_key=plan.key,
        plan_version=plan.version,
        plan=plan.to_dict(),
        example=plan.example,
        start_month=start,
        end_month=add_months(start, plan.months - 1),
        deadline_day=plan.deadline_day,
        late_margin=margin,
        owner=owner,
    )
    CampaignItem.objects.bulk_create(
        CampaignItem(
            campaign=campaign,
            code=item.code,
            name=item.name,
            order=index,
            offset_months=item.offset_months,
        )
        for index, item in enumerate(plan.items)
    )
    CampaignStep.objects.bulk_create(
        CampaignStep(
            campaign=campaign,
            number=step.number,
            name=step.name,
            phase=step.phase,
            planned_month=step.planned_month,
        )
        for step in plan.steps
    )
    organisations = audience_organisations(audience, sender=owner)
    Participation.objects.bulk_create(
        (Participation(campaign=campaign, organisation=o) for o in organisations.iterator()),
        batch_size=1000,
    )
    audit(
        principal,
        "progress.campaign.create",
        organisation=owner,
        target=f"campaign:{campaign.key}",
        details={"plan": plan.label, "participants": organisations.count()},
    )
    transaction.on_commit(lambda: _refresh(campaign.pk))
    return campaign


def _refresh(campaign_id: int) -> None:
    from mamoru.progress.tasks import refresh_campaign

    refresh_campaign.enqueue(campaign_id)
