"""Questions and the FAQ: asking, the answerer's answer or forward to the nation, turning
an answered question into an FAQ entry, and searching the FAQ in Japanese."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mamoru.core.access import Permission
from mamoru.core.pages import act, error_summary, page, paginate, run
from mamoru.orgs.models import OrganisationKind
from mamoru.orgs.principal import Principal
from mamoru.progress import selectors, services
from mamoru.progress.attachments import download_response
from mamoru.progress.markdown import render_markdown
from mamoru.progress.models import FaqEntry, Question, QuestionStatus
from mamoru.progress.ui.forms import (
    AnswerForm,
    FaqForm,
    FaqSearchForm,
    ForwardForm,
    QuestionForm,
)


def can_ask(principal: Principal | None) -> bool:
    return (
        principal is not None
        and principal.organisation.is_local_government
        and principal.can(Permission.DATA_EDIT)
    )


def can_publish(principal: Principal | None) -> bool:
    return (
        principal is not None
        and principal.organisation.kind in {OrganisationKind.NATIONAL, OrganisationKind.PREFECTURE}
        and principal.can(Permission.DATA_EDIT)
    )


@page
def question_list(request: HttpRequest, principal: Principal) -> HttpResponse:
    status = request.GET.get("status", "")
    questions = selectors.questions_visible(principal=principal)
    if status in QuestionStatus.values:
        questions = questions.filter(status=status)
    context = {
        "page": paginate(request, questions),
        "waiting": selectors.questions_to_answer(principal=principal).count(),
        "status": status,
        "statuses": QuestionStatus.choices,
        "can_ask": can_ask(principal),
    }
    return render(request, "progress/question_list.html", context)


@page
@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest, principal: Principal) -> HttpResponse:
    if not can_ask(principal):
        refusal = {"message": _("質問できるのは、地方公共団体の担当者です。")}
        return render(request, "progress/refused.html", refusal, status=403)
    if request.method == "POST":
        form = QuestionForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            question, errors = run(
                lambda: services.question_ask(
                    principal=principal,
                    category=data["category"],
                    title=data["title"],
                    body=data["body"],
                    may_name_organisation=data["may_name_organisation"],
                    attachments=data["attachments"],
                )
            )
            if question is not None:
                messages.success(request, _("質問を送りました。回答はこのページでお知らせします。"))
                return redirect("progress:question", pk=question.pk)
            for error in errors:
                form.add_error(None, error)
    else:
        form = QuestionForm()
    context = {"form": form, "errors": error_summary(form), "can_ask": can_ask(principal)}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "progress/question_form.html", context, status=status)


def _is_assignee(principal: Principal, question: Question) -> bool:
    return question.assignee_id == principal.organisation.pk and principal.can(Permission.DATA_EDIT)


@page
def question(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    found = selectors.question_get(principal=principal, pk=pk)
    assignee = _is_assignee(principal, found)
    context = {
        "question": found,
        "answer": render_markdown(found.answer) if found.answer else "",
        "attachments": selectors.question_attachments(principal=principal, question=found),
        "can_answer": assignee,
        "can_forward": assignee
        and found.status == QuestionStatus.OPEN
        and principal.organisation.kind == OrganisationKind.PREFECTURE,
        "can_publish": can_publish(principal)
        and found.status == QuestionStatus.ANSWERED
        and found.answered_by_organisation_id == principal.organisation.pk
        and selectors.faq_of_question(principal=principal, question=found) is None,
        "answer_form": AnswerForm(initial={"answer": found.answer}),
        "forward_form": ForwardForm(),
    }
    return render(request, "progress/question_detail.html", context)


@page
@require_POST
def question_answer(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    found = selectors.question_get(principal=principal, pk=pk)
    form = AnswerForm(request.POST)
    answer = form.cleaned_data["answer"] if form.is_valid() else ""
    act(
        request,
        lambda: services.question_answer(principal=principal, question=found, answer=answer),
        success=_("回答しました。"),
    )
    return redirect("progress:question", pk=pk)


@page
@require_POST
def question_forward(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    found = selectors.question_get(principal=principal, pk=pk)
    form = ForwardForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    act(
        request,
        lambda: services.question_forward(principal=principal, question=found, note=note),
        success=_("国のヘルプデスクに転送しました。"),
    )
    return redirect("progress:question", pk=pk)


@page
@require_http_methods(["GET", "POST"])
def question_publish(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    """Publish an answered question as an FAQ entry, edited (the form starts with the
    question and answer; the publisher removes what names the asker)."""
    found = selectors.question_get(principal=principal, pk=pk)
    if request.method == "POST":
        form = FaqForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            entry, errors = run(
                lambda: services.faq_publish(
                    principal=principal,
                    question=found,
                    title=data["title"],
                    body=data["body"],
                    answer=data["answer"],
                    category=data["category"],
                    name_organisation=data["name_organisation"],
                )
            )
            if entry is not None:
                messages.success(request, _("よくある質問として公開しました。"))
                return redirect("progress:faq_entry", pk=entry.pk)
            for error in errors:
                form.add_error(None, error)
    else:
        form = FaqForm(
            initial={
                "category": found.category,
                "title": found.title,
                "body": found.body,
                "answer": found.answer,
            }
        )
    context = {"form": form, "errors": error_summary(form), "question": found}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "progress/faq_form.html", context, status=status)


@page
def question_attachment(
    request: HttpRequest, principal: Principal, pk: int, attachment: int
) -> HttpResponse:
    found = selectors.question_attachment_get(principal=principal, question_pk=pk, pk=attachment)
    return download_response(found.name, found.data)


@page
def faq(request: HttpRequest, principal: Principal) -> HttpResponse:
    form = FaqSearchForm(request.GET or None)
    query = category = ""
    if form.is_valid():
        query, category = form.cleaned_data["q"], form.cleaned_data["category"]
    found = selectors.faq_search(principal=principal, query=query, category=category)
    context = {
        "form": form,
        "query": query,
        "page": paginate(request, found, per_page=20),
        "can_publish": can_publish(principal),
    }
    return render(request, "progress/faq.html", context)


@page
def faq_entry(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    entry = selectors.faq_get(principal=principal, pk=pk)
    context = {
        "entry": entry,
        "answer": render_markdown(entry.answer),
        "can_edit": can_publish(principal) and entry.published_by_id == principal.organisation.pk,
    }
    return render(request, "progress/faq_entry.html", context)


@page
@require_http_methods(["GET", "POST"])
def faq_create(request: HttpRequest, principal: Principal) -> HttpResponse:
    return _faq_form(request, principal, None)


@page
@require_http_methods(["GET", "POST"])
def faq_edit(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    return _faq_form(request, principal, selectors.faq_get(principal=principal, pk=pk))


def _faq_form(request: HttpRequest, principal: Principal, entry: FaqEntry | None) -> HttpResponse:
    if not can_publish(principal):
        refusal = {"message": _("よくある質問を公開・編集できるのは、国と都道府県の担当者です。")}
        return render(request, "progress/refused.html", refusal, status=403)
    if request.method == "POST":
        form = FaqForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            fields = {k: data[k] for k in ("title", "body", "answer", "category")}
            saved, errors = run(
                lambda: (
                    services.faq_update(principal=principal, entry=entry, **fields)
                    if entry is not None
                    else services.faq_publish(principal=principal, **fields)
                )
            )
            if saved is not None:
                messages.success(request, _("よくある質問を保存しました。"))
                return redirect("progress:faq_entry", pk=saved.pk)
            for error in errors:
                form.add_error(None, error)
    else:
        initial = {}
        if entry is not None:
            initial = {k: getattr(entry, k) for k in ("title", "body", "answer", "category")}
        form = FaqForm(initial=initial)
    context = {"form": form, "errors": error_summary(form), "entry": entry}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "progress/faq_form.html", context, status=status)
