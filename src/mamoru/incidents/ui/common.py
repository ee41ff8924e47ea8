"""Helpers shared by the incident pages: downloads of exports (the page plumbing itself is
``mamoru.core.pages``)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy

from mamoru.incidents.exports import ExportError, PdfUnavailableError
from mamoru.incidents.selectors import Export


def refused(request: HttpRequest, message: str, *, status: int = 403) -> HttpResponse:
    return render(request, "incidents/refused.html", {"message": message}, status=status)


def download(request: HttpRequest, make: Callable[[], Export]) -> HttpResponse:
    """Serve the export ``make`` produces (a selector: the gate, the cut and the audit are
    its job); an unknown format or an object outside the gate raises ``DoesNotExist``."""
    try:
        export = make()
    except PdfUnavailableError:
        return refused(
            request, gettext("PDFを作成できません（サーバーにフォントがありません）。"), status=503
        )
    except ExportError as error:
        # A format that does not fit this report (the common form is for ransomware and DDoS).
        return refused(request, str(error), status=409)
    response = HttpResponse(export.body, content_type=export.media_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


EXPORT_LABELS = {
    "pdf": "PDF",
    "csv": "CSV",
    "stix": "STIX 2.1（JSON）",
    "ppc": gettext_lazy("個人情報保護委員会の報告項目"),
    "common": gettext_lazy("ランサムウェア・DDoS攻撃の共通様式"),
}
