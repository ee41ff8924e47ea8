"""The prefecture's follow-up of a municipality: a note kept in the prefecture, a question
about the delay that the municipality answers, or an escalation to the nation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.core.access import Permission
from mamoru.core.exceptions import StateConflict
from mamoru.orgs.models import Organisation
from mamoru.orgs.policy import DataKind, Supervisor
from mamoru.orgs.principal import Principal, audit, require
from mamoru.orgs.selectors import organisations_readable
from mamoru.progress.models import Campaign, FollowUp, FollowUpKind, Participation

TEXT_MAX = 4000


@transaction.atomic
def follow_up_create(
    *,
    principal: Principal,
    campaign: Campaign,
    organisation: Organisation,
    kind: str,
    text: str,
) -> FollowUp:
    """Record a follow-up of ``organisation`` (the prefecture over its municipalities)."""
    require(principal, Permission.DATA_EDIT)
    supervised = organisations_readable(principal=principal, kind=DataKind.PROGRESS).filter(
        pk=organisation.pk
    )
    if (
        principal.supervisor != Supervisor.PREFECTURE
        or organisation.pk == principal.organisation.pk
        or not supervised.exists()
    ):
        raise PermissionDenied(_("フォローアップは都道府県が管内の市区町村について行います。"))
    if not Participation.objects.within(supervised).filter(campaign=campaign).exists():
        raise PermissionDenied(_("この団体はこの進捗管理の対象ではありません。"))
    if kind not in FollowUpKind.values:
        raise ValidationError({"kind": [_("種類を選んでください。")]})
    if not text.strip() or len(text) > TEXT_MAX:
        raise ValidationError({"text": [_("内容を4000文字以内で入力してください。")]})
    follow_up = FollowUp.objects.create(
        campaign=campaign,
        organisation=organisation,
        author_organisation=principal.organisation,
        kind=kind,
        text=text.strip(),
        created_by=principal.user,
    )
    audit(
        principal,
        "progress.followup.create",
        target=f"follow-up:{follow_up.pk}",
        details={"organisation": organisation.code, "kind": kind},
    )
    return follow_up


@transaction.atomic
def follow_up_answer(*, principal: Principal, follow_up: FollowUp, answer: str) -> FollowUp:
    """The municipality answers its prefecture's question about a delay."""
    require(principal, Permission.DATA_EDIT, organisation=follow_up.organisation)
    if follow_up.kind != FollowUpKind.ASKED:
        raise StateConflict(_("回答できるのは遅れについての問合せです。"))
    if not answer.strip() or len(answer) > TEXT_MAX:
        raise ValidationError({"answer": [_("回答を4000文字以内で入力してください。")]})
    follow_up.answer = answer.strip()
    follow_up.answered_by = principal.user
    follow_up.answered_at = timezone.now()
    follow_up.save(update_fields=["answer", "answered_by", "answered_at"])
    audit(
        principal,
        "progress.followup.answer",
        organisation=follow_up.organisation,
        target=f"follow-up:{follow_up.pk}",
    )
    return follow_up
