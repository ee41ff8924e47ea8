"""The recipient's pages: the inbox, one item as the recipient may see it, acknowledgement,
the thread with the reporter and downloads of the recipient's own view."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamoru.core.pages import act, page, paginate, run
from mamoru.incidents import due, selectors, services
from mamoru.incidents.records import self_approved
from mamoru.incidents.selectors import Change, InboxItem
from mamoru.incidents.ui import present
from mamoru.incidents.ui.common import EXPORT_LABELS, download
from mamoru.incidents.ui.forms import InboxFilterForm, MessageForm
from mamoru.orgs.models import OrganisationKind
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import organisation_list


def _item(principal: Principal, pk: int) -> InboxItem:
    return selectors.inbox_item_get(principal=principal, pk=pk)


def _filters(request: HttpRequest, principal: Principal) -> InboxFilterForm:
    prefectures = {
        o.prefecture_code: o.name for o in organisation_list(kind=OrganisationKind.PREFECTURE)
    }
    codes = selectors.inbox_prefectures(principal=principal)
    query = request.GET.copy()
    if query.get("unacknowledged") == "1":  # the home page's older link
        query.setdefault("status", "unacknowledged")
    return InboxFilterForm(query, prefectures=[(c, prefectures.get(c, c)) for c in codes])


@page
def inbox_list(request: HttpRequest, principal: Principal) -> HttpResponse:
    now = timezone.now()
    received = selectors.inbox(principal=principal)
    form = _filters(request, principal)
    chosen = form.values()
    filters = selectors.InboxFilter(**{k: v for k, v in chosen.items() if v})
    shown = paginate(
        request, selectors.inbox_filtered(principal=principal, filters=filters, now=now)
    )
    kept = {k: v for k, v in chosen.items() if v}
    context = {
        "page": shown,
        "rows": present.delivery_rows(shown.object_list, soon=now + due.DUE_SOON),
        "unacknowledged": received.filter(acknowledged_at__isnull=True).count(),
        "overdue": received.filter(due.overdue_q(now=now)).count(),
        "filters": form,
        "filtered": any(v for k, v in kept.items() if k != "order"),
        "query": urlencode(kept),
    }
    return render(request, "incidents/inbox_list.html", context)


@page
@require_POST
def inbox_acknowledge_selected(request: HttpRequest, principal: Principal) -> HttpResponse:
    """Acknowledge every delivery ticked in the inbox at once."""
    pks = [int(v) for v in request.POST.getlist("delivery") if v.isdigit() and len(v) < 19]
    chosen = selectors.inbox_selected(principal=principal, pks=pks)
    if not chosen:
        messages.error(request, _("受領を確認する報告を選んでください。"))
    else:
        count, errors = run(
            lambda: services.deliveries_acknowledge(deliveries=chosen, principal=principal)
        )
        for error in errors:
            messages.error(request, error)
        if count is not None:
            messages.success(
                request,
                _("%(count)d件の受領を確認しました。報告した団体に通知されます。")
                % {"count": count},
            )
    back = request.POST.get("query", "")
    return redirect(reverse("incidents:inbox") + (f"?{back}" if back else ""))


def _changes(principal: Principal, item: InboxItem) -> list[Change] | None:
    """What changed since the previous version this recipient received (None: none)."""
    version = item.view.version
    if version <= 1:
        return None
    try:
        return selectors.submission_diff(
            principal=principal,
            public_id=item.view.report_id,
            from_version=version - 1,
            to_version=version,
        )
    except ObjectDoesNotExist:
        return None


@page
def inbox_item(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    item = _item(principal, pk)
    delivery = item.delivery
    thread = selectors.thread_messages(
        principal=principal,
        public_id=delivery.report.public_id,
        recipient_code=principal.organisation.code,
    )
    context = {
        "item": item,
        "delivery": delivery,
        "overdue": present.is_overdue(delivery),
        "self_approved": self_approved(delivery.submission),
        "facts": present.fact_rows(item.facts),
        "sections": present.section_rows(item.view.content),
        "withheld": present.withheld_labels(item.view.withheld),
        "changes": present.change_rows(changes)
        if (changes := _changes(principal, item)) is not None
        else None,
        "thread": list(thread),
        "message_form": MessageForm(),
        "formats": EXPORT_LABELS,
    }
    return render(request, "incidents/inbox_item.html", context)


@page
@require_POST
def inbox_acknowledge(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    item = _item(principal, pk)
    act(
        request,
        lambda: services.delivery_acknowledge(delivery=item.delivery, principal=principal),
        success=_("受領を確認しました。報告した団体に通知されます。"),
    )
    return redirect("incidents:inbox_item", pk=pk)


@page
@require_POST
def inbox_message(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    item = _item(principal, pk)
    form = MessageForm(request.POST)
    body = form.cleaned_data["body"] if form.is_valid() else ""
    act(
        request,
        lambda: services.message_post(
            report=item.delivery.report,
            recipient=principal.organisation,
            principal=principal,
            body=body,
        ),
        success=_("報告した団体に連絡を送りました。"),
    )
    return redirect(reverse("incidents:inbox_item", args=[pk]) + "#thread")


@page
def inbox_export(request: HttpRequest, principal: Principal, pk: int, fmt: str) -> HttpResponse:
    return download(request, lambda: selectors.inbox_export(principal=principal, pk=pk, fmt=fmt))
