"""Helpers of the security-cloud pages: the month asked for, and a download response."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone


def parse_month(text: str) -> date:
    """'2026-10' → 2026-10-01; 404 for anything else."""
    try:
        return date.fromisoformat(text + "-01")
    except ValueError as exc:
        raise Http404 from exc


def asked_month(request: HttpRequest, default: date | None = None) -> date:
    """The month of ``?month=YYYY-MM``, else ``default``, else this month."""
    text = request.GET.get("month", "")
    if text:
        return parse_month(text)
    return (default or timezone.localdate()).replace(day=1)


def download(body: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
