"""Submitting answers, the supervisor's review (return with a comment, or accept) and the
follow-up notes supervisors keep."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.assessments import definitions
from mamoru.assessments.models import (
    Answer,
    Campaign,
    FollowUpNote,
    Review,
    ReviewDecision,
    Submission,
    Target,
    TargetStatus,
)
from mamoru.assessments.services.common import (
    TALLY_COLUMN,
    add_counts,
    framework_of,
    locked,
    mandatory_unmet,
    require_open,
    require_own,
    require_reviewer,
    score,
    scores_json,
    tally,
)
from mamoru.core.access import Permission
from mamoru.core.exceptions import StateConflict
from mamoru.orgs.principal import Actor, Principal, System, audit

NOTE_MAX = 2000


@transaction.atomic
def target_submit(*, principal: Actor, target: Target) -> Submission:
    """Submit the organisation's answers as its next version, scored as they are.

    Who: the organisation's CISO (``reports.approve``: the permission that approves
    incident reports and survey answers). Unanswered items are allowed — they lower the
    completeness, never the coverage — so an organisation can submit what it knows by
    the deadline. The submission counts in the dashboards at once.
    """
    person = _submitter(principal, target)
    target = locked(target)
    require_open(target.campaign)
    if not target.editable:
        raise StateConflict(_("この回答は提出済みです。"))
    rows = list(
        Answer.objects.unscoped("answers of a target the service checked").filter(target=target)
    )
    answers = {a.item_id: a.option_id for a in rows if a.option_id}
    comments = {a.item_id: a.comment for a in rows if a.comment}
    if not answers:
        raise ValidationError(_("回答が一つもありません。回答してから提出してください。"))
    card = score(target, answers)
    previous = Submission.objects.unscoped("versions of the target being submitted").filter(
        target=target
    )
    now = timezone.now()
    submission = Submission.objects.create(
        target=target,
        version=previous.count() + 1,
        answers=answers,
        comments=comments,
        scores=scores_json(card),
        overall_coverage=card.overall.coverage,
        overall_level=card.overall.level,
        completeness=card.overall.completeness,
        mandatory_unmet=mandatory_unmet(framework_of(target), card),
        submitted_by=person.user,
        submitted_at=now,
    )
    target.status = TargetStatus.SUBMITTED
    target.current_submission = submission
    target.mandatory_unmet = submission.mandatory_unmet
    target.updated_at = now
    target.save(update_fields=["status", "current_submission", "mandatory_unmet", "updated_at"])
    tally(target, submission, +1)
    audit(
        principal,
        "assessments.target.submit",
        organisation=target.organisation,
        target=f"target:{target.pk}",
        details={"version": submission.version, "coverage": submission.overall_coverage},
    )
    return submission


def _submitter(principal: Actor, target: Target) -> Principal:
    """Submitting needs a person (the system never submits for an organisation)."""
    if isinstance(principal, System):
        raise PermissionDenied(_("回答は団体の職員が提出します。"))
    require_own(principal, target, Permission.REPORTS_APPROVE)
    return principal


@transaction.atomic
def target_review(*, principal: Actor, target: Target, decision: str, comment: str = "") -> Review:
    """Return the submitted answers with a comment (the organisation corrects and submits
    again) or accept them, as the organisation's supervisor or the campaign's sender."""
    if isinstance(principal, System):
        raise PermissionDenied(_("回答は職員が確認します。"))
    require_reviewer(principal, target)
    target = locked(target)
    require_open(target.campaign)
    if target.status != TargetStatus.SUBMITTED or target.current_submission is None:
        raise StateConflict(_("提出された回答だけを確認できます。"))
    if decision not in ReviewDecision.values:
        raise ValidationError({"decision": [_("差し戻すか確認済みにするかを選んでください。")]})
    comment = comment.strip()
    if decision == ReviewDecision.RETURNED and not comment:
        raise ValidationError({"comment": [_("差し戻す理由を書いてください。")]})
    if len(comment) > NOTE_MAX:
        raise ValidationError({"comment": [_("コメントは2000文字以内にしてください。")]})
    review = Review.objects.create(
        target=target,
        submission=target.current_submission,
        decision=decision,
        comment=comment,
        reviewer=principal.user,
        reviewer_organisation=principal.organisation,
    )
    if decision == ReviewDecision.RETURNED:
        tally(target, target.current_submission, -1)
        target.status = TargetStatus.RETURNED
        target.reminded_days = None  # reminders start again for the corrected answers
    else:
        target.status = TargetStatus.ACCEPTED
    target.updated_at = timezone.now()
    target.save(update_fields=["status", "reminded_days", "updated_at"])
    audit(
        principal,
        "assessments.target.return"
        if decision == ReviewDecision.RETURNED
        else "assessments.target.accept",
        target=f"target:{target.pk}",
        details={"organisation": target.organisation.code, "version": review.submission.version},
    )
    return review


@transaction.atomic
def note_add(*, principal: Actor, target: Target, text: str) -> FollowUpNote:
    """A supervisor's follow-up note on one organisation (who was called, what was agreed)."""
    require_reviewer(principal, target)
    if isinstance(principal, System):
        raise PermissionDenied(_("メモは職員が書きます。"))
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("メモを入力してください。")]})
    if len(text) > NOTE_MAX:
        raise ValidationError({"text": [_("メモは2000文字以内にしてください。")]})
    note = FollowUpNote.objects.create(
        target=target,
        text=text,
        author=principal.user,
        author_organisation=principal.organisation,
    )
    audit(
        principal,
        "assessments.note.add",
        target=f"target:{target.pk}",
        details={"organisation": target.organisation.code},
    )
    return note


@transaction.atomic
def submissions_import(
    *,
    principal: Actor,
    campaign: Campaign,
    answers: Mapping[str, Mapping[str, str]],
    submitted_at: datetime | None = None,
    accept: bool = False,
) -> int:
    """Record answers collected outside the platform (an earlier survey's results, kept in
    spreadsheets) as submissions, organisation code → item → option, in bulk; the number
    recorded. Operators only (the system); each organisation must be a target that has
    never submitted (its import is version 1). The scores, the counts and the audit entry
    are those of a submission."""
    if not isinstance(principal, System):
        raise PermissionDenied(_("過去の調査結果の取り込みは運用者がコマンドで行います。"))
    require_open(campaign)
    targets = {
        t.organisation.code: t
        for t in Target.objects.unscoped("an operator's import into one campaign")
        .filter(campaign=campaign, organisation__code__in=list(answers))
        .select_related("organisation", "campaign__framework")
    }
    unknown = sorted(set(answers) - set(targets))
    if unknown:
        raise ValidationError(
            _("次の団体はこの調査の対象ではありません: %(codes)s") % {"codes": "、".join(unknown)}
        )
    done = sorted(code for code, t in targets.items() if t.current_submission_id is not None)
    if done:
        raise StateConflict(_("次の団体は提出済みです: %(codes)s") % {"codes": "、".join(done)})
    at = submitted_at or timezone.now()
    framework = definitions.definition(campaign.framework)
    counts: Counter[tuple[str, str, str]] = Counter()
    submissions = []
    for code, given in answers.items():
        target = targets[code]
        card = score(target, given)
        for item_id, result in card.items.items():
            counts[(target.prefecture_code, item_id, TALLY_COLUMN[result.status])] += 1
        submissions.append(
            Submission(
                target=target,
                version=1,
                answers=dict(given),
                scores=scores_json(card),
                overall_coverage=card.overall.coverage,
                overall_level=card.overall.level,
                completeness=card.overall.completeness,
                mandatory_unmet=mandatory_unmet(framework, card),
                submitted_at=at,
            )
        )
    created = Submission.objects.bulk_create(submissions, batch_size=500)
    # Every target takes its new submission in one UPDATE (correlated subqueries on the
    # unique (target, version) index), rather than a CASE per row.
    submitted = Submission.objects.unscoped("the submissions this import just made").filter(
        target=OuterRef("pk"), version=1
    )
    Target.objects.unscoped("the targets this import just checked").filter(
        pk__in=[t.pk for t in targets.values()]
    ).update(
        status=TargetStatus.ACCEPTED if accept else TargetStatus.SUBMITTED,
        current_submission=Subquery(submitted.values("pk")[:1]),
        mandatory_unmet=Subquery(submitted.values("mandatory_unmet")[:1]),
        updated_at=at,
    )
    add_counts(campaign, counts)
    audit(
        principal,
        "assessments.submissions.import",
        organisation=campaign.owner,
        target=f"campaign:{campaign.pk}",
        details={"organisations": len(created)},
    )
    return len(created)
