"""Sending a campaign, closing it, and freezing its snapshot once at close."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.assessments import definitions
from mamoru.assessments.library import freeze_snapshot, record_from_scorecard
from mamoru.assessments.models import (
    COUNTED,
    Campaign,
    CampaignStatus,
    Framework,
    ItemTally,
    Snapshot,
    Target,
)
from mamoru.core.access import Permission
from mamoru.core.exceptions import StateConflict
from mamoru.orgs.models import LOCAL_GOVERNMENT_KINDS, Organisation
from mamoru.orgs.policy import Supervisor
from mamoru.orgs.principal import Actor, Principal, System, audit, require
from mamoru.orgs.selectors import organisation_list, supervisor_of


def surveyable(owner: Organisation) -> QuerySet[Organisation]:
    """The local governments a campaign of ``owner`` may target: every one for the nation,
    the prefecture itself and its municipalities for a prefecture, none otherwise."""
    supervisor = supervisor_of(owner)
    if supervisor == Supervisor.NATION:
        found = organisation_list()
    elif supervisor == Supervisor.PREFECTURE:
        found = organisation_list(prefecture_code=owner.prefecture_code)
    else:
        return organisation_list().none()
    return found.filter(kind__in=LOCAL_GOVERNMENT_KINDS)


def may_send(principal: Principal) -> bool:
    """Whether the principal may send a survey: ``data.edit`` in 総務省 or a prefecture (the
    pages ask before showing the form; :func:`campaign_create` checks again)."""
    return principal.supervisor is not None and principal.can(Permission.DATA_EDIT)


def _owner(principal: Actor, owner: Organisation | None) -> Organisation:
    if isinstance(principal, System):
        if owner is None:
            raise ValidationError(_("調査を実施する団体を指定してください。"))
        return owner
    require(principal, Permission.DATA_EDIT, message=_("調査を実施する権限がありません。"))
    return principal.organisation


def _targets(scope: QuerySet[Organisation], codes: Sequence[str] | None) -> list[Organisation]:
    if codes is None:
        return list(scope.order_by("code"))
    wanted = sorted({code.strip() for code in codes if code.strip()})
    found = list(scope.filter(code__in=wanted).order_by("code"))
    missing = sorted(set(wanted) - {o.code for o in found})
    if missing:
        raise ValidationError(
            _("次の団体はこの調査の対象にできません: %(codes)s") % {"codes": "、".join(missing)}
        )
    if not found:
        raise ValidationError(_("調査の対象とする団体を選んでください。"))
    return found


@transaction.atomic
def campaign_create(
    *,
    principal: Actor,
    framework: Framework,
    title: str,
    deadline: datetime,
    description: str = "",
    organisation_codes: Sequence[str] | None = None,
    owner: Organisation | None = None,
    now: datetime | None = None,
) -> Campaign:
    """Send ``framework`` to the local governments the sender supervises (all of them, or
    ``organisation_codes``) with a deadline. The sender is the principal's organisation
    (総務省 or a prefecture, ``data.edit``); the system names it with ``owner``."""
    sender = _owner(principal, owner)
    scope = surveyable(sender)
    if not scope.exists():
        raise PermissionDenied(_("調査を実施できるのは総務省と都道府県です。"))
    now = now or timezone.now()
    if deadline <= now:
        raise ValidationError({"deadline": [_("回答期限は現在より後の日時にしてください。")]})
    if not title.strip():
        raise ValidationError({"title": [_("調査名を入力してください。")]})
    organisations = _targets(scope, organisation_codes)
    campaign = Campaign.objects.create(
        owner=sender,
        framework=framework,
        title=title.strip()[:200],
        description=description.strip(),
        deadline=deadline,
        created_by=None if isinstance(principal, System) else principal.user,
        created_at=now,
    )
    Target.objects.bulk_create(
        [
            Target(
                campaign=campaign,
                organisation=o,
                size_class=o.kind,
                prefecture_code=o.prefecture_code,
                updated_at=now,
            )
            for o in organisations
        ],
        batch_size=500,
    )
    items = [item.id for item in definitions.definition(framework).items]
    prefectures = ["", *sorted({o.prefecture_code for o in organisations})]  # "": all
    ItemTally.objects.bulk_create(
        [
            ItemTally(campaign=campaign, prefecture_code=code, item_id=item_id)
            for code in prefectures
            for item_id in items
        ],
        batch_size=1000,
    )
    audit(
        principal,
        "assessments.campaign.create",
        organisation=sender,
        target=f"campaign:{campaign.pk}",
        details={"framework": framework.urn, "organisations": len(organisations)},
    )
    return campaign


def _locked_campaign(campaign: Campaign) -> Campaign:
    return (
        Campaign.objects.unscoped("the service checked the principal against this campaign")
        .select_for_update(of=("self",))  # the related rows are read, not locked
        .select_related("framework", "owner")
        .get(pk=campaign.pk)
    )


@transaction.atomic
def campaign_close(
    *, principal: Actor, campaign: Campaign, now: datetime | None = None
) -> Campaign:
    """Close the campaign (its sender, ``data.edit``): answers can no longer change, and a
    task freezes the snapshot every score and peer statistic is computed from. ``now``
    (the close time) is for operators recording an earlier campaign."""
    require(
        principal,
        Permission.DATA_EDIT,
        organisation=campaign.owner,
        message=_("この調査を締め切る権限がありません。"),
    )
    campaign = _locked_campaign(campaign)
    if campaign.status != CampaignStatus.OPEN:
        raise StateConflict(_("この調査は既に締め切られています。"))
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = now or timezone.now()
    campaign.save(update_fields=["status", "closed_at"])
    audit(
        principal,
        "assessments.campaign.close",
        organisation=campaign.owner,
        target=f"campaign:{campaign.pk}",
    )
    campaign_id = campaign.pk
    transaction.on_commit(lambda: _enqueue_freeze(campaign_id))
    return campaign


def _enqueue_freeze(campaign_id: int) -> None:
    from mamoru.assessments.tasks import freeze_campaign

    freeze_campaign.enqueue(campaign_id)


@transaction.atomic
def campaign_freeze(*, principal: Actor, campaign: Campaign) -> Snapshot:
    """Freeze the scores of every counted submission (提出済み・確認済み) of a closed
    campaign into its snapshot, once: running it again returns the snapshot it made.

    The snapshot records each organisation's size class and prefecture as the campaign
    was sent; its peer statistics are computed here, once, and kept per process.
    """
    if not isinstance(principal, System):
        raise PermissionDenied(_("スナップショットは締切の処理でだけ作成されます。"))
    campaign = _locked_campaign(campaign)
    if campaign.status != CampaignStatus.CLOSED:
        raise StateConflict(_("締め切っていない調査のスナップショットは作れません。"))
    existing = Snapshot.objects.unscoped("idempotence of the freeze").filter(campaign=campaign)
    if existing.exists():
        return existing.get()
    counted = (
        Target.objects.unscoped("the freeze reads every counted answer of the campaign")
        .filter(campaign=campaign, status__in=COUNTED, current_submission__isnull=False)
        .order_by("pk")
    )
    scorer = definitions.scorer(campaign.framework)
    records = [
        record_from_scorecard(code, prefecture, scorer.score(size_class, answers))
        for code, prefecture, size_class, answers in counted.values_list(
            "organisation__code", "prefecture_code", "size_class", "current_submission__answers"
        )
    ]
    counted.update(in_snapshot=True)
    frozen = freeze_snapshot(
        campaign=str(campaign.pk),
        framework_urn=campaign.framework.urn,
        closed_at=campaign.closed_at or timezone.now(),
        records=records,
    )
    document = frozen.to_dict()
    snapshot = Snapshot.objects.create(
        campaign=campaign,
        document=document,
        digest=frozen.digest,
        organisations=len(records),
        frozen_at=timezone.now(),
    )
    definitions.statistics_of(frozen.digest, document, frozen=frozen)
    audit(
        principal,
        "assessments.campaign.freeze",
        organisation=campaign.owner,
        target=f"campaign:{campaign.pk}",
        details={"digest": frozen.digest, "organisations": len(records)},
    )
    return snapshot
