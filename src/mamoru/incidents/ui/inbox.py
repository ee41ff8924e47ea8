"""The recipient's pages: the inbox, one item as the recipient may see it, acknowledgement,
the thread with the reporter and downloads of the recipient's own view."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamoru.incidents import selectors, services
from mamoru.incidents.selectors import Change, InboxItem
from mamoru.incidents.ui import present
from mamoru.incidents.ui.common import EXPORT_LABELS, act, download, found
from mamoru.incidents.ui.forms import MessageForm
from mamoru.incidents.ui.reports import SOON
from mamoru.orgs.principal import Principal
from mamoru.web.ui.decorators import principal_required

INBOX_SIZE = 200


def _item(principal: Principal, pk: int) -> InboxItem:
    return found(lambda: selectors.inbox_item_get(principal=principal, pk=pk))


@principal_required
def inbox_list(request: HttpRequest, principal: Principal) -> HttpResponse:
    deliveries = list(selectors.inbox(principal=principal)[:INBOX_SIZE])
    rows = present.inbox_order(present.delivery_rows(deliveries, soon=timezone.now() + SOON))
    context = {
        "rows": rows,
        "unacknowledged": sum(1 for r in rows if r.delivery.acknowledged_at is None),
        "overdue": sum(1 for r in rows if r.overdue),
    }
    return render(request, "incidents/inbox_list.html", context)


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


@principal_required
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
        "facts": present.fact_rows(item.facts),
        "sections": present.section_rows(item.view.content),
        "withheld": present.withheld_labels(item.view.withheld),
        "changes": _changes(principal, item),
        "thread": list(thread),
        "message_form": MessageForm(),
        "formats": EXPORT_LABELS,
    }
    return render(request, "incidents/inbox_item.html", context)


@principal_required
@require_POST
def inbox_acknowledge(request: HttpRequest, principal: Principal, pk: int) -> HttpResponse:
    item = _item(principal, pk)
    act(
        request,
        lambda: services.delivery_acknowledge(delivery=item.delivery, principal=principal),
        success=_("受領を確認しました。報告した団体に通知されます。"),
    )
    return redirect("incidents:inbox_item", pk=pk)


@principal_required
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


@principal_required
def inbox_export(request: HttpRequest, principal: Principal, pk: int, fmt: str) -> HttpResponse:
    item = _item(principal, pk)
    stem = f"incident-{item.view.report_id}-v{item.view.version}-{principal.organisation.code}"
    return download(request, fmt, [item.view], stem)
