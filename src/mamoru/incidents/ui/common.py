"""Helpers shared by the incident pages: downloads of exports (the page plumbing itself is
``mamoru.core.pages``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy

from mamoru.incidents.content import SubmissionView
from mamoru.incidents.exports import EXPORTERS, ExportError, PdfUnavailableError


def refused(request: HttpRequest, message: str, *, status: int = 403) -> HttpResponse:
    return render(request, "incidents/refused.html", {"message": message}, status=status)


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
    except ExportError as error:
        # A format that does not fit this report (the common form is for ransomware and DDoS).
        return refused(request, str(error), status=409)
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
