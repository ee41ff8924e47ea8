"""Notices: what arrived (unread first), writing one, reading and confirming it, and for
the sender who has read and confirmed."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mamoru.core.access import Permission
from mamoru.core.pages import act, error_summary, page, paginate, run
from mamoru.orgs.principal import Principal
from mamoru.progress import selectors, services
from mamoru.progress.attachments import download_response
from mamoru.progress.markdown import render_markdown
from mamoru.progress.services.notices import SENDER_KINDS
from mamoru.progress.ui.forms import NoticeForm


def can_send(principal: Principal | None) -> bool:
    return (
        principal is not None
        and principal.organisation.kind in SENDER_KINDS
        and principal.can(Permission.DATA_EDIT)
    )


@page
def notice_list(request: HttpRequest, principal: Principal) -> HttpResponse:
    received = selectors.notices_received(principal=principal)
    context = {
        "page": paginate(request, received),
        "unread": received.filter(read_at__isnull=True).count(),
        "can_send": can_send(principal),
    }
    return render(request, "progress/notice_list.html", context)


@page
def notices_sent(request: HttpRequest, principal: Principal) -> HttpResponse:
    context = {
        "page": paginate(request, selectors.notices_sent(principal=principal)),
        "can_send": can_send(principal),
    }
    return render(request, "progress/notices_sent.html", context)


@page
@require_http_methods(["GET", "POST"])
def notice_create(request: HttpRequest, principal: Principal) -> HttpResponse:
    if not can_send(principal):
        refusal = {"message": _("お知らせを発出できるのは、国と都道府県の担当者です。")}
        return render(request, "progress/refused.html", refusal, status=403)
    if request.method == "POST":
        form = NoticeForm(request.POST, request.FILES)
        if form.is_valid():
            notice, errors = run(
                lambda: services.notice_publish(
                    principal=principal,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    audience=form.audience_value(),
                    confirm_by=form.cleaned_data["confirm_by"],
                    attachments=form.cleaned_data["attachments"],
                )
            )
            if notice is not None:
                messages.success(request, _("お知らせを発出しました。"))
                return redirect("progress:notice", pk=notice.pk)
            for error in errors:
                form.add_error(None, error)
    else:
        form = NoticeForm()
    context = {"form": form, "errors": error_summary(form), "can_send": can_send(principal)}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "progress/notice_form.html", context, status=status)


@page
def notice(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    view = selectors.notice_get(principal=principal, pk=pk)
    delivery = view.delivery
    if delivery is not None and delivery.read_at is None:
        delivery = services.notice_mark_read(principal=principal, delivery=delivery)
    context = {
        "notice": view.notice,
        "delivery": delivery,
        "is_sender": view.is_sender,
        "body": render_markdown(view.notice.body),
        "attachments": selectors.notice_attachments(principal=principal, notice=view.notice),
        "can_confirm": delivery is not None and principal.can(Permission.DATA_EDIT),
    }
    return render(request, "progress/notice_detail.html", context)


@page
@require_POST
def notice_confirm(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    view = selectors.notice_get(principal=principal, pk=pk)
    if view.delivery is None:
        messages.error(request, _("このお知らせは貴団体あてではありません。"))
    else:
        delivery = view.delivery
        act(
            request,
            lambda: services.notice_confirm(principal=principal, delivery=delivery),
            success=_("内容を確認したことを記録しました。"),
        )
    return redirect("progress:notice", pk=pk)


@page
def notice_recipients(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    view = selectors.notice_get(principal=principal, pk=pk)
    if not view.is_sender:
        return redirect("progress:notice", pk=pk)
    pending = request.GET.get("pending") == "1"
    recipients = selectors.notice_recipients(
        principal=principal, notice=view.notice, pending=pending
    )
    context = {"notice": view.notice, "page": paginate(request, recipients), "pending": pending}
    return render(request, "progress/notice_recipients.html", context)


@page
def notice_attachment(
    request: HttpRequest, principal: Principal, pk: int, attachment: int
) -> HttpResponse:
    found = selectors.notice_attachment_get(principal=principal, notice_pk=pk, pk=attachment)
    return download_response(found.name, found.data)
