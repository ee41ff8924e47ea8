"""Answering a campaign: the organisation's page of one campaign, one section of items at
a time (each item saved on its own, as the person goes — with htmx the choice is saved
the moment it is made), assigning items, evidence files, the questionnaire in Excel,
carrying last year's answers forward, and submitting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mamoru.assessments import contradictions, questionnaire, selectors, services
from mamoru.assessments.library import Framework, Item, Section
from mamoru.assessments.models import Answer, Evidence, ReviewDecision, Target
from mamoru.assessments.ui.common import CSV, XLSX, download, refused, role_of, target_for
from mamoru.assessments.ui.forms import AnswerForm, AssignForm, FileForm, NoteForm, ReviewForm
from mamoru.core import tabular
from mamoru.core.pages import act, page, run, wants_fragment
from mamoru.orgs.principal import Principal


@dataclass(frozen=True)
class SectionRow:
    section: Section
    items: list[Item]
    answered: int


def _items(section: Section, size_class: str) -> list[Item]:
    found = [item for item in section.items if item.applies_to(size_class)]
    for child in section.sections:
        found += _items(child, size_class)
    return found


def sections_of(framework: Framework, size_class: str, answered: set[str]) -> list[SectionRow]:
    rows = []
    for section in framework.sections:
        items = _items(section, size_class)
        if items:
            rows.append(SectionRow(section, items, sum(1 for i in items if i.id in answered)))
    return rows


def _answered(principal: Principal, target: Target) -> dict[str, str]:
    """Item → option: the working answers while the organisation itself may still change
    them, otherwise the current submission (a supervisor, a closed campaign, answers
    imported as a submission)."""
    own = target.organisation_id == principal.organisation.pk
    submission = target.current_submission
    if own and (submission is None or role_of(principal, target).answering):
        return {
            k: a.option_id
            for k, a in selectors.answers_of(principal=principal, target=target).items()
            if a.option_id
        }
    return dict(submission.answers) if submission else {}


def _returned_comment(principal: Principal, target: Target) -> Any:
    reviews = list(selectors.reviews_of(principal=principal, target=target))
    if reviews and reviews[-1].decision == ReviewDecision.RETURNED:
        return reviews[-1]
    return None


@page
def target_detail(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    target, framework = target_for(principal, pk)
    role = role_of(principal, target)
    answers = _answered(principal, target)
    applicable = framework.items_for(target.size_class)
    submission = target.current_submission
    context: dict[str, Any] = {
        "target": target,
        "campaign": target.campaign,
        "framework": framework,
        "role": role,
        "sections": sections_of(framework, target.size_class, set(answers)),
        "answered": len(answers),
        "applicable": len(applicable),
        "returned": _returned_comment(principal, target),
        "reviews": selectors.reviews_of(principal=principal, target=target),
        "submissions": selectors.submissions_of(principal=principal, target=target),
        "overdue": target.campaign.deadline < timezone.now(),
        "carried": bool(role.can_edit and services.carried_answers(target)),
    }
    if not role.own:
        comments = submission.comments if submission else {}
        evidence = selectors.evidence_of(principal=principal, target=target)
        found = contradictions.contradictions_for(
            principal=principal, organisation=target.organisation, answers=answers
        )
        context |= {
            "submitted": [
                (
                    item,
                    _label(item, answers.get(item.id)),
                    comments.get(item.id, ""),
                    evidence.get(item.id, []),
                    found.get(item.id, []),
                )
                for item in applicable
            ],
            "notes": selectors.notes_of(principal=principal, target=target),
            "review_form": ReviewForm(),
            "note_form": NoteForm(),
        }
    return render(request, "assessments/target_detail.html", context)


def _label(item: Item, option: str | None) -> str:
    return item.answers.option(option).label.ja if option else ""


def _section(framework: Framework, section_id: str) -> Section:
    for section in framework.sections:
        if section.id == section_id:
            return section
    raise Target.DoesNotExist


def _item_context(
    principal: Principal,
    target: Target,
    items: list[Item],
) -> list[dict[str, Any]]:
    answers = selectors.answers_of(principal=principal, target=target)
    submission = target.current_submission
    if submission is not None and not role_of(principal, target).answering:
        answers = {  # read-only: what was submitted, not the working rows
            item_id: Answer(
                target=target,
                item_id=item_id,
                option_id=option,
                comment=submission.comments.get(item_id, ""),
            )
            for item_id, option in submission.answers.items()
        }
    evidence = selectors.evidence_of(principal=principal, target=target)
    shown = {item.id for item in items}
    found = contradictions.contradictions_for(  # the items shown only: an autosave of one
        principal=principal,  # item reads (and audits) nothing for the others
        organisation=target.organisation,
        answers={k: a.option_id for k, a in answers.items() if a.option_id and k in shown},
    )
    return [
        {
            "item": item,
            "answer": answers.get(item.id),
            "evidence": evidence.get(item.id, []),
            "contradictions": found.get(item.id, []),
        }
        for item in items
    ]


@page
def section(request: HttpRequest, principal: Principal, pk: int, section_id: str) -> HttpResponse:
    target, framework = target_for(principal, pk)
    role = role_of(principal, target)
    if not role.own:
        return redirect("assessments:target", pk=target.pk)
    current = _section(framework, section_id)
    rows = sections_of(framework, target.size_class, set())
    ids = [row.section.id for row in rows]
    position = ids.index(current.id) if current.id in ids else 0
    context = {
        "target": target,
        "campaign": target.campaign,
        "section": current,
        "role": role,
        "entries": _item_context(principal, target, _items(current, target.size_class)),
        "people": selectors.colleagues(principal=principal, target=target),
        "previous": ids[position - 1] if position > 0 else None,
        "next": ids[position + 1] if position + 1 < len(ids) else None,
    }
    return render(request, "assessments/section.html", context)


def _back(target: Target, item: Item) -> HttpResponse:
    top = item.section_path[0] if item.section_path else ""
    url = reverse("assessments:section", args=[target.pk, top])
    return redirect(f"{url}#item-{item.id}")


@page
@require_POST
def answer_save(request: HttpRequest, principal: Principal, pk: int, item_id: str) -> HttpResponse:
    target, framework = target_for(principal, pk)
    if not framework.has_item(item_id):
        raise Target.DoesNotExist
    item = framework.item(item_id)
    form = AnswerForm(request.POST, item=item)
    errors: list[str] = []
    if form.is_valid():
        _saved, errors = run(
            lambda: services.answer_save(
                principal=principal,
                target=target,
                item_id=item.id,
                option_id=form.cleaned_data["option"],
                comment=form.cleaned_data["comment"],
            )
        )
    else:
        errors = [str(e) for found in form.errors.values() for e in found]
    if wants_fragment(request):
        entry = _item_context(principal, target, [item])[0]
        context = {
            "target": target,
            "role": role_of(principal, target),
            "people": selectors.colleagues(principal=principal, target=target),
            "errors": errors,
            "saved_at": None if errors else timezone.localtime(),
            **entry,
        }
        return render(request, "assessments/_item.html", context, status=400 if errors else 200)
    for error in errors:
        messages.error(request, error)
    if not errors:
        messages.success(request, _("%(item)s の回答を保存しました。") % {"item": item.id})
    return _back(target, item)


@page
@require_POST
def answer_assign(
    request: HttpRequest, principal: Principal, pk: int, item_id: str
) -> HttpResponse:
    target, framework = target_for(principal, pk)
    if not framework.has_item(item_id):
        raise Target.DoesNotExist
    form = AssignForm(request.POST, people=selectors.colleagues(principal=principal, target=target))
    if form.is_valid():
        act(
            request,
            lambda: services.answer_assign(
                principal=principal, target=target, item_id=item_id, assignee=form.person()
            ),
            success=_("担当者を設定しました。"),
        )
    else:
        messages.error(request, _("担当者を選び直してください。"))
    return _back(target, framework.item(item_id))


@page
@require_POST
def evidence_upload(
    request: HttpRequest, principal: Principal, pk: int, item_id: str
) -> HttpResponse:
    target, framework = target_for(principal, pk)
    if not framework.has_item(item_id):
        raise Target.DoesNotExist
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        act(
            request,
            lambda: services.evidence_add(
                principal=principal,
                target=target,
                item_id=item_id,
                filename=upload.name or "",
                data=upload.read(services.EVIDENCE_MAX_BYTES + 1),
            ),
            success=_("根拠資料を添付しました。"),
        )
    else:
        messages.error(request, _("添付するファイルを選んでください。"))
    return _back(target, framework.item(item_id))


@page
def evidence_download(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    evidence: Evidence = selectors.evidence_get(principal=principal, pk=pk)
    return download(
        bytes(evidence.content), content_type=evidence.content_type, filename=evidence.filename
    )


@page
@require_POST
def evidence_delete(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    evidence = selectors.evidence_get(principal=principal, pk=pk)
    answer: Answer = evidence.answer
    target, framework = target_for(principal, answer.target_id)
    act(
        request,
        lambda: services.evidence_delete(principal=principal, evidence=evidence),
        success=_("根拠資料を削除しました。"),
    )
    return _back(target, framework.item(answer.item_id))


@page
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    target, framework = target_for(principal, pk)
    role = role_of(principal, target)
    if not role.own:
        raise Target.DoesNotExist
    if request.method == "POST":
        done = act(
            request,
            lambda: services.target_submit(principal=principal, target=target),
            success=_("回答を提出しました。都道府県（又は調査を送った団体）が確認します。"),
        )
        return redirect("assessments:target" if done else "assessments:submit", pk=target.pk)
    answers = _answered(principal, target)
    applicable = framework.items_for(target.size_class)
    missing = [item for item in applicable if item.id not in answers]
    context = {
        "target": target,
        "campaign": target.campaign,
        "role": role,
        "missing": missing,
        "missing_mandatory": [item for item in missing if item.mandatory],
        "answered": len(answers),
        "applicable": len(applicable),
    }
    return render(request, "assessments/submit.html", context)


@page
@require_POST
def carry_forward(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    target, _framework = target_for(principal, pk)
    count, errors = run(lambda: services.target_carry_forward(principal=principal, target=target))
    for error in errors:
        messages.error(request, error)
    if not errors:
        messages.success(
            request,
            _("前回の回答を%(count)d項目に引き継ぎました。内容を確かめてから提出してください。")
            % {"count": count or 0},
        )
    return redirect("assessments:target", pk=target.pk)


@page
def questionnaire_export(
    request: HttpRequest, principal: Principal, pk: int, fmt: str
) -> HttpResponse:
    target, framework = target_for(principal, pk)
    if fmt not in {"xlsx", "csv"}:
        raise Target.DoesNotExist
    if role_of(principal, target).own:
        working = selectors.answers_of(principal=principal, target=target)
        answers = {k: a.option_id for k, a in working.items() if a.option_id}
        comments = {k: a.comment for k, a in working.items() if a.comment}
    else:
        submission = target.current_submission
        answers = dict(submission.answers) if submission else {}
        comments = dict(submission.comments) if submission else {}
    rows = questionnaire.rows(framework, target.size_class, answers, comments)
    name = f"{target.campaign.title}-{target.organisation.name}.{fmt}"
    header = list(questionnaire.HEADER)
    if fmt == "csv":
        return download(tabular.csv_bytes(header, rows), content_type=CSV, filename=name)
    body = tabular.xlsx_bytes({"回答票": (header, rows)})
    return download(body, content_type=XLSX, filename=name)


@page
@require_http_methods(["GET", "POST"])
def answers_import(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    target, _framework = target_for(principal, pk)
    role = role_of(principal, target)
    if not role.own:
        raise Target.DoesNotExist
    if not role.can_edit:
        return refused(
            request, _("この回答は今は変更できません（提出済み、締切済み、又は権限がありません）。")
        )
    form = FileForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        count, errors = run(
            lambda: services.answers_import(
                principal=principal, target=target, data=upload.read(), filename=upload.name or ""
            )
        )
        if not errors:
            messages.success(
                request, _("%(count)d項目の回答を取り込みました。") % {"count": count or 0}
            )
            return redirect("assessments:target", pk=target.pk)
    context = {"target": target, "campaign": target.campaign, "form": form, "errors": errors}
    status = 400 if errors or (form.is_bound and form.errors) else 200
    return render(request, "assessments/import.html", context, status=status)


@page
@require_POST
def review(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    target, _framework = target_for(principal, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        returned = form.cleaned_data["decision"] == ReviewDecision.RETURNED
        act(
            request,
            lambda: services.target_review(
                principal=principal,
                target=target,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            ),
            success=_("回答を差し戻しました。団体に修正を依頼しました。")
            if returned
            else _("回答を確認済みにしました。"),
        )
    else:
        messages.error(request, _("確認の結果を選んでください。"))
    return redirect("assessments:target", pk=target.pk)


@page
@require_POST
def note_add(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    target, _framework = target_for(principal, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: services.note_add(
                principal=principal, target=target, text=form.cleaned_data["text"]
            ),
            success=_("メモを記録しました。"),
        )
    else:
        messages.error(request, _("メモを入力してください。"))
    return redirect(reverse("assessments:target", args=[target.pk]) + "#notes")
