"""Questions: a local government asks its supervisor (a municipality its prefecture, a
prefecture the nation); the prefecture answers or forwards to the nation's helpdesk with
a note; an answered question can become an FAQ entry — edited, and anonymised unless the
asker agreed to be named."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.core.access import Permission
from mamoru.core.exceptions import StateConflict
from mamoru.orgs.models import OrganisationKind
from mamoru.orgs.principal import Principal, audit, require
from mamoru.progress.attachments import MAX_ATTACHMENTS, Upload, attachment_fields
from mamoru.progress.models import (
    FaqEntry,
    FaqGram,
    Question,
    QuestionAttachment,
    QuestionCategory,
    QuestionStatus,
)
from mamoru.progress.search import bigrams, normalise

TITLE_MAX = 200
TEXT_MAX = 10000
ANSWER_MAX = 20000


def _text_errors(title: str, body: str, category: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if category not in QuestionCategory.values:
        errors["category"] = [_("分類を選んでください。")]
    if not title.strip() or len(title) > TITLE_MAX:
        errors["title"] = [_("件名を200文字以内で入力してください。")]
    if not body.strip() or len(body) > TEXT_MAX:
        errors["body"] = [_("内容を10000文字以内で入力してください。")]
    return errors


@transaction.atomic
def question_ask(
    *,
    principal: Principal,
    category: str,
    title: str,
    body: str,
    may_name_organisation: bool = False,
    attachments: Sequence[Upload] = (),
) -> Question:
    """Ask the principal's supervisor (the prefecture, or for a prefecture the nation)."""
    require(principal, Permission.DATA_EDIT)
    asker = principal.organisation
    if not asker.is_local_government or asker.parent is None:
        raise PermissionDenied(_("質問できるのは地方公共団体です。"))
    errors = _text_errors(title, body, category)
    if len(attachments) > MAX_ATTACHMENTS:
        errors["file"] = [_("添付できるファイルは10件までです。")]
    if errors:
        raise ValidationError(errors)
    files = [attachment_fields(upload) for upload in attachments]
    question = Question.objects.create(
        organisation=asker,
        assignee=asker.parent,
        category=category,
        title=title.strip(),
        body=body.strip(),
        may_name_organisation=may_name_organisation,
        status=(
            QuestionStatus.FORWARDED
            if asker.parent.kind == OrganisationKind.NATIONAL
            else QuestionStatus.OPEN
        ),
        asked_by=principal.user,
    )
    for fields in files:
        QuestionAttachment.objects.create(question=question, uploaded_by=principal.user, **fields)
    audit(principal, "progress.question.ask", target=f"question:{question.pk}")
    return question


def _check_assignee(principal: Principal, question: Question) -> None:
    require(principal, Permission.DATA_EDIT)
    if question.assignee_id != principal.organisation.pk:
        raise PermissionDenied(_("この質問に回答できるのは、質問を受けた団体です。"))


@transaction.atomic
def question_answer(*, principal: Principal, question: Question, answer: str) -> Question:
    """Answer a question addressed to the principal's organisation (or correct the answer)."""
    _check_assignee(principal, question)
    if not answer.strip() or len(answer) > ANSWER_MAX:
        raise ValidationError({"answer": [_("回答を20000文字以内で入力してください。")]})
    question.answer = answer.strip()
    question.status = QuestionStatus.ANSWERED
    question.answered_by = principal.user
    question.answered_by_organisation = principal.organisation
    question.answered_at = timezone.now()
    question.save()
    audit(
        principal,
        "progress.question.answer",
        organisation=principal.organisation,
        target=f"question:{question.pk}",
    )
    return question


@transaction.atomic
def question_forward(*, principal: Principal, question: Question, note: str) -> Question:
    """A prefecture forwards an open question to the nation's helpdesk, with a note."""
    _check_assignee(principal, question)
    nation = principal.organisation.parent
    if (
        principal.organisation.kind != OrganisationKind.PREFECTURE
        or nation is None
        or nation.kind != OrganisationKind.NATIONAL
    ):
        raise PermissionDenied(_("国への転送は都道府県が行います。"))
    if question.status != QuestionStatus.OPEN:
        raise StateConflict(_("回答待ちの質問だけを転送できます。"))
    if len(note) > 4000:
        raise ValidationError({"note": [_("メモは4000文字以内で入力してください。")]})
    question.assignee = nation
    question.status = QuestionStatus.FORWARDED
    question.forward_note = note.strip()
    question.forwarded_at = timezone.now()
    question.save(update_fields=["assignee", "status", "forward_note", "forwarded_at"])
    audit(principal, "progress.question.forward", target=f"question:{question.pk}")
    return question


def _index(entry: FaqEntry) -> None:
    """Rewrite the entry's search grams (``mamoru.progress.search``)."""
    entry.search_text = normalise(f"{entry.title} {entry.body} {entry.answer}")
    entry.save(update_fields=["search_text"])
    FaqGram.objects.filter(entry=entry).delete()
    title = bigrams(entry.title)
    FaqGram.objects.bulk_create(
        FaqGram(entry=entry, gram=gram, in_title=gram in title)
        for gram in sorted(bigrams(f"{entry.title} {entry.body} {entry.answer}"))
    )


def _faq_errors(title: str, body: str, answer: str, category: str) -> dict[str, list[str]]:
    errors = _text_errors(title, body, category)
    if not answer.strip() or len(answer) > ANSWER_MAX:
        errors["answer"] = [_("回答を20000文字以内で入力してください。")]
    return errors


def _check_publisher(principal: Principal) -> None:
    require(principal, Permission.DATA_EDIT)
    if principal.organisation.kind not in {OrganisationKind.NATIONAL, OrganisationKind.PREFECTURE}:
        raise PermissionDenied(_("よくある質問を公開できるのは国と都道府県です。"))


@transaction.atomic
def faq_publish(
    *,
    principal: Principal,
    title: str,
    body: str,
    answer: str,
    category: str,
    question: Question | None = None,
    name_organisation: bool = False,
) -> FaqEntry:
    """Publish an FAQ entry (from an answered question, edited; or written directly).

    The asker's name appears only when the asker agreed (``may_name_organisation``) and
    the publisher chooses to show it; otherwise the entry names nobody."""
    _check_publisher(principal)
    if question is not None:
        if question.answered_by_organisation_id != principal.organisation.pk:
            raise PermissionDenied(_("よくある質問にできるのは、自団体が回答した質問です。"))
        if question.status != QuestionStatus.ANSWERED:
            raise StateConflict(_("回答済みの質問だけをよくある質問にできます。"))
        if FaqEntry.objects.filter(question=question).exists():
            raise StateConflict(_("この質問はすでによくある質問になっています。"))
    errors = _faq_errors(title, body, answer, category)
    if errors:
        raise ValidationError(errors)
    named = question is not None and name_organisation and question.may_name_organisation
    entry = FaqEntry.objects.create(
        question=question,
        category=category,
        title=title.strip(),
        body=body.strip(),
        answer=answer.strip(),
        asked_by_label=question.organisation.name if named and question else "",
        published_by=principal.organisation,
    )
    _index(entry)
    audit(principal, "progress.faq.publish", target=f"faq:{entry.pk}")
    return entry


@transaction.atomic
def faq_update(
    *, principal: Principal, entry: FaqEntry, title: str, body: str, answer: str, category: str
) -> FaqEntry:
    """Edit an FAQ entry the principal's organisation published."""
    _check_publisher(principal)
    if entry.published_by_id != principal.organisation.pk:
        raise PermissionDenied(_("このよくある質問を編集できるのは公開した団体です。"))
    errors = _faq_errors(title, body, answer, category)
    if errors:
        raise ValidationError(errors)
    entry.title, entry.body, entry.answer, entry.category = (
        title.strip(),
        body.strip(),
        answer.strip(),
        category,
    )
    entry.updated_at = timezone.now()
    entry.save()
    _index(entry)
    audit(principal, "progress.faq.update", target=f"faq:{entry.pk}")
    return entry
