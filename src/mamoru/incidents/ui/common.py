"""Helpers shared by the incident pages: 404 for what the gate hides, Japanese refusals,
error summaries and downloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy

from mamoru.incidents.content import SubmissionView
from mamoru.incidents.exports import EXPORTERS, PdfUnavailableError

T = TypeVar("T")


def found(lookup: Callable[[], T]) -> T:
    """The selector's answer; 404 when the gate says the object does not exist."""
    try:
        return lookup()
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def refused(request: HttpRequest, message: str, *, status: int = 403) -> HttpResponse:
    return render(request, "incidents/refused.html", {"message": message}, status=status)


def service_errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for messages in exc.message_dict.values() for m in messages]
    return list(exc.messages)


def error_summary(form: forms.Form) -> list[tuple[str, str, str]]:
    """(anchor, label, message) of every error, for the summary at the top of a form."""
    summary: list[tuple[str, str, str]] = []
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS:
            summary += [("", "", str(e)) for e in errors]
            continue
        bound = form[name]
        widget = bound.field.widget
        multiple = isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
        anchor = f"{bound.auto_id}_0" if multiple else bound.id_for_label
        summary += [(anchor, str(bound.label), str(e)) for e in errors]
    return summary


def run(call: Callable[[], T]) -> tuple[T | None, list[str]]:
    """Call a service: its result, or the Japanese messages of its refusal."""
    try:
        return call(), []
    except ValidationError as exc:
        return None, service_errors(exc)
    except PermissionDenied as exc:
        return None, [str(exc) or gettext("この操作をする権限がありません。")]


def act(request: HttpRequest, call: Callable[[], object], *, success: str = "") -> bool:
    """Call a service for a page that redirects: flash its refusal, or ``success``."""
    _result, errors = run(call)
    for error in errors:
        messages.error(request, error)
    if not errors and success:
        messages.success(request, success)
    return not errors


def download(
    request: HttpRequest, fmt: str, views: list[SubmissionView], stem: str
) -> HttpResponse:
    """One export of exactly ``views`` (already cut for the person asking)."""
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise Http404
    try:
        body = exporter.render(views)
    except PdfUnavailableError:
        return refused(
            request, gettext("PDFを作成できません（サーバーにフォントがありません）。"), status=503
        )
    response = HttpResponse(body, content_type=exporter.media_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{exporter.file_extension}"'
    response["Cache-Control"] = "no-store"
    return response


EXPORT_LABELS = {
    "pdf": "PDF",
    "csv": "CSV",
    "stix": "STIX 2.1（JSON）",
    "ppc": gettext_lazy("個人情報保護委員会の報告項目"),
}
