"""An organisation's answers: saved item by item as it goes, assigned to colleagues, with
evidence files, imported from the questionnaire's spreadsheet, or carried forward from
the previous campaign."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.accounts.models import User
from mamoru.assessments import definitions
from mamoru.assessments.library import Item, carry_forward, parse_mapping
from mamoru.assessments.models import (
    COUNTED,
    Answer,
    Evidence,
    FrameworkMapping,
    Target,
    TargetStatus,
)
from mamoru.assessments.services.common import framework_of, locked, require_open, require_own
from mamoru.core.access import Permission
from mamoru.core.exceptions import StateConflict
from mamoru.orgs.principal import Actor, System, audit
from mamoru.orgs.selectors import people_acting_in

COMMENT_MAX: Final = 2000
EVIDENCE_MAX_BYTES: Final = 5 * 1024 * 1024
# Documents and pictures offices exchange; nothing a browser would run.
EVIDENCE_TYPES: Final[Mapping[str, str]] = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def applicable_item(target: Target, item_id: str) -> Item:
    """The framework item ``item_id`` if the target organisation answers it."""
    framework = framework_of(target)
    if not framework.has_item(item_id):
        raise ValidationError(_("項目 %(item)s はこの調査にありません。") % {"item": item_id})
    item = framework.item(item_id)
    if not item.applies_to(target.size_class):
        raise ValidationError(
            _("項目 %(item)s は貴団体の種別では回答しません。") % {"item": item_id}
        )
    return item


def _editable(principal: Actor, target: Target) -> Target:
    require_own(principal, target, Permission.DATA_EDIT)
    target = locked(target)
    require_open(target.campaign)
    if not target.editable:
        raise StateConflict(_("提出済みの回答は変更できません。差し戻されたときに変更できます。"))
    return target


def _started(target: Target) -> None:
    fields = ["updated_at"]
    target.updated_at = timezone.now()
    if target.status == TargetStatus.NOT_STARTED:
        target.status = TargetStatus.ANSWERING
        fields.append("status")
    target.save(update_fields=fields)


def _answers(target: Target) -> dict[str, Answer]:
    rows = Answer.objects.unscoped("answers of a target the service checked").filter(target=target)
    return {a.item_id: a for a in rows}


@dataclass(frozen=True)
class AnswerInput:
    """One answer to save: the option (``""`` clears it) and the comment; ``None`` keeps
    what is saved."""

    option_id: str | None
    comment: str | None = None


def _check(item: Item, given: AnswerInput) -> None:
    if given.option_id and given.option_id not in item.answers.option_ids:
        raise ValidationError(
            _("項目 %(item)s の回答「%(option)s」は選択肢にありません。")
            % {"item": item.id, "option": given.option_id}
        )
    if given.comment is not None and len(given.comment) > COMMENT_MAX:
        raise ValidationError(_("コメントは%(max)d文字以内にしてください。") % {"max": COMMENT_MAX})


def _write(target: Target, answers: Mapping[str, AnswerInput], user: User | None) -> list[Answer]:
    existing = _answers(target)
    now = timezone.now()
    saved = []
    for item_id, given in answers.items():
        row = existing.get(item_id) or Answer(target=target, item_id=item_id)
        if given.option_id is not None:
            row.option_id = given.option_id
        if given.comment is not None:
            row.comment = given.comment.strip()
        row.answered_by = user
        row.updated_at = now
        row.save()
        saved.append(row)
    return saved


def _user(principal: Actor) -> User | None:
    return None if isinstance(principal, System) else principal.user


@transaction.atomic
def answer_save(
    *, principal: Actor, target: Target, item_id: str, option_id: str, comment: str | None = None
) -> Answer:
    """Save one answer as the organisation goes (its staff, ``data.edit``; while the
    campaign is open and the answers are not submitted)."""
    target = _editable(principal, target)
    given = AnswerInput(option_id.strip(), comment)
    _check(applicable_item(target, item_id), given)
    (answer,) = _write(target, {item_id: given}, _user(principal))
    _started(target)
    audit(
        principal,
        "assessments.answer.save",
        organisation=target.organisation,
        target=f"target:{target.pk}/{item_id}",
        details={"option": given.option_id},
    )
    return answer


@transaction.atomic
def answers_save(
    *, principal: Actor, target: Target, answers: Mapping[str, AnswerInput], action: str
) -> int:
    """Save many answers at once, all or nothing (an import, answers carried forward)."""
    target = _editable(principal, target)
    for item_id, given in answers.items():
        _check(applicable_item(target, item_id), given)
    _write(target, answers, _user(principal))
    _started(target)
    audit(
        principal,
        "assessments.answers.import" if action == "import" else "assessments.answers.carry",
        organisation=target.organisation,
        target=f"target:{target.pk}",
        details={"answers": len(answers)},
    )
    return len(answers)


@transaction.atomic
def answer_assign(
    *, principal: Actor, target: Target, item_id: str, assignee: User | None
) -> Answer:
    """Assign an item to a colleague who may answer it (``None`` takes the assignment
    back); the colleague sees it on their home page."""
    target = _editable(principal, target)
    applicable_item(target, item_id)
    if assignee is not None:
        allowed = people_acting_in(
            organisation=target.organisation, permission=Permission.DATA_EDIT
        )
        if assignee not in allowed:
            raise ValidationError(_("この団体で回答できる職員にだけ割り当てられます。"))
    answer, _created = Answer.objects.unscoped(
        "the answer of a target the service checked"
    ).get_or_create(target=target, item_id=item_id)
    answer.assignee = assignee
    answer.save(update_fields=["assignee"])
    audit(
        principal,
        "assessments.answer.assign",
        organisation=target.organisation,
        target=f"target:{target.pk}/{item_id}",
        details={"assignee": assignee.get_username() if assignee else ""},
    )
    return answer


def _evidence_type(filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise ValidationError(
            _("添付できるファイルは %(kinds)s です。")
            % {"kinds": "、".join(sorted(s.lstrip(".").upper() for s in EVIDENCE_TYPES))}
        )
    return EVIDENCE_TYPES[suffix]


@transaction.atomic
def evidence_add(
    *, principal: Actor, target: Target, item_id: str, filename: str, data: bytes
) -> Evidence:
    """Attach a file to the answer of ``item_id`` (at most ``EVIDENCE_MAX_BYTES``). The
    type is taken from the name's extension among the allowed ones, never from the
    browser, and the file is always served as a download."""
    target = _editable(principal, target)
    applicable_item(target, item_id)
    name = PurePath(filename.replace("\\", "/")).name.strip()[:200]
    if not name:
        raise ValidationError(_("ファイル名がありません。"))
    content_type = _evidence_type(name)
    if not data:
        raise ValidationError(_("空のファイルは添付できません。"))
    if len(data) > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("ファイルは%(mb)dMB以下にしてください。") % {"mb": EVIDENCE_MAX_BYTES // 2**20}
        )
    answer, _created = Answer.objects.unscoped(
        "the answer of a target the service checked"
    ).get_or_create(target=target, item_id=item_id)
    user = _user(principal)
    if user is None:
        raise ValidationError(_("根拠資料は職員が添付します。"))
    evidence = Evidence.objects.create(
        answer=answer,
        filename=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        uploaded_by=user,
    )
    _started(target)
    audit(
        principal,
        "assessments.evidence.add",
        organisation=target.organisation,
        target=f"target:{target.pk}/{item_id}",
        details={"file": name, "sha256": evidence.sha256},
    )
    return evidence


@transaction.atomic
def evidence_delete(*, principal: Actor, evidence: Evidence) -> None:
    """Remove a file from an answer that can still change."""
    target = evidence.answer.target
    _editable(principal, target)
    audit(
        principal,
        "assessments.evidence.delete",
        organisation=target.organisation,
        target=f"target:{target.pk}/{evidence.answer.item_id}",
        details={"file": evidence.filename, "sha256": evidence.sha256},
    )
    Evidence.objects.unscoped("a file of a target the service checked").filter(
        pk=evidence.pk
    ).delete()


def _previous_submission(target: Target) -> tuple[Target, dict[str, str]] | None:
    earlier = (
        Target.objects.unscoped("the organisation's own earlier answers, checked by the caller")
        .filter(
            organisation_id=target.organisation_id,
            status__in=COUNTED,
            current_submission__isnull=False,
            campaign__created_at__lt=target.campaign.created_at,
        )
        .select_related("campaign__framework", "current_submission")
        .order_by("-campaign__created_at")
        .first()
    )
    if earlier is None or earlier.current_submission is None:
        return None
    return earlier, dict(earlier.current_submission.answers)


def carried_answers(target: Target) -> dict[str, str]:
    """The answers of the organisation's latest earlier submission that fit this
    campaign's framework: as they are for the same version, through the stored version
    mapping for another one (none without a mapping)."""
    found = _previous_submission(target)
    if found is None:
        return {}
    earlier, answers = found
    old, new = earlier.campaign.framework, target.campaign.framework
    if old.pk == new.pk:
        return answers
    stored = FrameworkMapping.objects.filter(source=old, target=new).first()
    if stored is None:
        return {}
    old_def, new_def = definitions.definition(old), definitions.definition(new)
    mapping = parse_mapping(stored.document, old=old_def, new=new_def)
    return dict(carry_forward(answers, mapping, old=old_def, new=new_def).answers)


def target_carry_forward(*, principal: Actor, target: Target) -> int:
    """Fill the items not answered yet with the previous campaign's answers (to be
    checked by the organisation); the number of answers filled."""
    require_own(principal, target, Permission.DATA_EDIT)
    framework = framework_of(target)
    answered = {item_id for item_id, answer in _answers(target).items() if answer.option_id}
    proposals = {
        item_id: AnswerInput(option_id)
        for item_id, option_id in carried_answers(target).items()
        if item_id not in answered
        and framework.has_item(item_id)
        and framework.item(item_id).applies_to(target.size_class)
    }
    if not proposals:
        return 0
    return answers_save(principal=principal, target=target, answers=proposals, action="carry")
