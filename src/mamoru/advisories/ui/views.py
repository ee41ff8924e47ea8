"""The advisory pages: what reached the organisation (unanswered first), acknowledging
and answering, the nation's publishing, import from STIX, exports, the state of answers
per prefecture, and sharing back."""

from __future__ import annotations

import json
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mamoru.advisories import selectors, services, targeting
from mamoru.advisories.markdown import render_fields
from mamoru.advisories.misp import event_for
from mamoru.advisories.products import AffectedProduct
from mamoru.advisories.stix import bundle_for
from mamoru.advisories.ui.forms import AdvisoryForm, AnswerForm, ImportForm, ShareForm
from mamoru.core.access import Permission
from mamoru.core.pages import act, error_summary, page, paginate, run
from mamoru.orgs.models import OrganisationKind
from mamoru.orgs.principal import Principal
from mamoru.progress.attachments import download_response


def can_publish(principal: Principal | None) -> bool:
    return (
        principal is not None
        and principal.organisation.kind == OrganisationKind.NATIONAL
        and principal.can(Permission.DATA_EDIT)
    )


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "advisories/refused.html", {"message": message}, status=403)


@page
def advisory_list(request: HttpRequest, principal: Principal) -> HttpResponse:
    received = selectors.advisories_received(principal=principal)
    context = {
        "page": paginate(request, received),
        "unanswered": received.filter(answered_at__isnull=True).count(),
        "can_publish": can_publish(principal),
    }
    return render(request, "advisories/advisory_list.html", context)


@page
def advisories_sent(request: HttpRequest, principal: Principal) -> HttpResponse:
    context = {
        "page": paginate(request, selectors.advisories_sent(principal=principal)),
        "can_publish": can_publish(principal),
    }
    return render(request, "advisories/advisories_sent.html", context)


@page
@require_http_methods(["GET", "POST"])
def advisory_create(request: HttpRequest, principal: Principal) -> HttpResponse:
    if not can_publish(principal):
        return _refused(request, _("注意喚起を発出できるのは、国の担当者です。"))
    form = AdvisoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        advisory, errors = run(
            lambda: services.advisory_publish(
                principal=principal,
                content=form.content(),
                audience=None if form.cleaned_data["by_exposure"] else form.audience_value(),
                by_exposure=form.cleaned_data["by_exposure"],
            )
        )
        if advisory is not None:
            messages.success(request, _("注意喚起を発出しました。"))
            return redirect("advisories:advisory", public_id=advisory.public_id)
        for error in errors:
            form.add_error(None, error)
    context = {
        "form": form,
        "errors": error_summary(form),
        "exposure_available": targeting.exposure_source() is not None,
        "can_publish": True,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "advisories/advisory_form.html", context, status=status)


@page
@require_http_methods(["GET", "POST"])
def advisory_import(request: HttpRequest, principal: Principal) -> HttpResponse:
    if not can_publish(principal):
        return _refused(request, _("注意喚起を取り込めるのは、国の担当者です。"))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        imported, errors = run(
            lambda: services.advisory_import(
                principal=principal, data=upload.read(), audience=form.audience_value()
            )
        )
        if imported is not None:
            messages.success(
                request, _("%(n)d件の注意喚起を取り込みました。") % {"n": len(imported)}
            )
            return redirect("advisories:sent")
        for error in errors:
            form.add_error(None, error)
    context = {"form": form, "errors": error_summary(form), "can_publish": True}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "advisories/advisory_import.html", context, status=status)


@page
def advisory(request: HttpRequest, principal: Principal, public_id: UUID) -> HttpResponse:
    view = selectors.advisory_get(principal=principal, public_id=public_id)
    found = view.advisory
    context = {
        "advisory": found,
        "delivery": view.delivery,
        "is_sender": view.is_sender,
        "texts": render_fields(found),
        "products": [AffectedProduct.from_dict(p) for p in found.products],
        "can_answer": view.delivery is not None and principal.can(Permission.DATA_EDIT),
        "answer_form": AnswerForm(
            initial={"answer": view.delivery.answer, "note": view.delivery.note}
            if view.delivery
            else None
        ),
        "follows_up": principal.supervisor is not None,
    }
    return render(request, "advisories/advisory_detail.html", context)


@page
@require_POST
def advisory_acknowledge(
    request: HttpRequest, principal: Principal, public_id: UUID
) -> HttpResponse:
    view = selectors.advisory_get(principal=principal, public_id=public_id)
    if view.delivery is None:
        return _refused(request, _("この注意喚起は貴団体あてではありません。"))
    delivery = view.delivery
    act(
        request,
        lambda: services.advisory_acknowledge(principal=principal, delivery=delivery),
        success=_("受領を確認しました。"),
    )
    return redirect("advisories:advisory", public_id=public_id)


@page
@require_POST
def advisory_answer(request: HttpRequest, principal: Principal, public_id: UUID) -> HttpResponse:
    view = selectors.advisory_get(principal=principal, public_id=public_id)
    if view.delivery is None:
        return _refused(request, _("この注意喚起は貴団体あてではありません。"))
    delivery = view.delivery
    form = AnswerForm(request.POST)
    answer = form.cleaned_data["answer"] if form.is_valid() else ""
    note = form.cleaned_data["note"] if form.is_valid() else ""
    act(
        request,
        lambda: services.advisory_answer(
            principal=principal, delivery=delivery, answer=answer, note=note
        ),
        success=_("回答を送りました。"),
    )
    return redirect("advisories:advisory", public_id=public_id)


@page
def advisory_state(request: HttpRequest, principal: Principal, public_id: UUID) -> HttpResponse:
    """The answers: per prefecture for the nation (then one prefecture's organisations),
    the municipalities' for a prefecture."""
    found = selectors.advisory_get(principal=principal, public_id=public_id).advisory
    prefecture_code = request.GET.get("prefecture", "")
    if principal.organisation.kind == OrganisationKind.PREFECTURE:
        prefecture_code = principal.organisation.prefecture_code
    states = selectors.advisory_state(principal=principal, advisory=found)
    deliveries = None
    if prefecture_code or not states or principal.organisation.kind != OrganisationKind.NATIONAL:
        deliveries = paginate(
            request,
            selectors.advisory_deliveries(
                principal=principal, advisory=found, prefecture_code=prefecture_code
            ),
        )
    context = {
        "advisory": found,
        "states": states,
        "page": deliveries,
        "prefecture_code": prefecture_code,
    }
    return render(request, "advisories/advisory_state.html", context)


@page
def advisory_export(
    request: HttpRequest, principal: Principal, public_id: UUID, fmt: str
) -> HttpResponse:
    found = selectors.advisory_exports(principal=principal, public_id=public_id)
    if fmt == "stix":
        data, name = bundle_for([found]), f"advisory-{found.public_id}.stix.json"
    elif fmt == "misp":
        data, name = event_for(found), f"advisory-{found.public_id}.misp.json"
    else:
        return redirect("advisories:advisory", public_id=public_id)
    body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    response = download_response(name, body)
    response["Content-Type"] = "application/json"
    return response


@page
def share_list(request: HttpRequest, principal: Principal) -> HttpResponse:
    context = {
        "page": paginate(request, selectors.shares_visible(principal=principal)),
        "can_share": principal.organisation.is_local_government
        and principal.can(Permission.DATA_EDIT),
    }
    return render(request, "advisories/share_list.html", context)


@page
@require_http_methods(["GET", "POST"])
def share_create(request: HttpRequest, principal: Principal) -> HttpResponse:
    if not (principal.organisation.is_local_government and principal.can(Permission.DATA_EDIT)):
        return _refused(request, _("情報を共有できるのは、地方公共団体の担当者です。"))
    form = ShareForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        share, errors = run(
            lambda: services.share_create(
                principal=principal,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                indicators=data["indicators"].splitlines(),
                tlp=data["tlp"],
                to_nation=data["to_nation"],
                attachments=data["attachments"],
            )
        )
        if share is not None:
            messages.success(request, _("共有しました。都道府県（と国）が確認します。"))
            return redirect("advisories:share", public_id=share.public_id)
        for error in errors:
            form.add_error(None, error)
    context = {"form": form, "errors": error_summary(form)}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "advisories/share_form.html", context, status=status)


@page
def share(request: HttpRequest, principal: Principal, public_id: UUID) -> HttpResponse:
    found = selectors.share_get(principal=principal, public_id=public_id)
    context = {
        "share": found,
        "attachments": selectors.share_attachments(principal=principal, share=found),
    }
    return render(request, "advisories/share_detail.html", context)


@page
def share_attachment(
    request: HttpRequest, principal: Principal, public_id: UUID, pk: int
) -> HttpResponse:
    found = selectors.share_attachment_get(principal=principal, public_id=public_id, pk=pk)
    return download_response(found.name, found.data)
