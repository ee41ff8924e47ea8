"""PDF of submissions, rendered by WeasyPrint from ``html.report_html``.

WeasyPrint needs Debian's pango and harfbuzz, and Japanese text needs the Noto CJK fonts;
``scripts/install-system-packages.sh run`` installs them. WeasyPrint is imported when a
PDF is made, so that the rest of the platform starts on a machine without them, and a
missing library is reported as :class:`PdfUnavailableError` rather than an ``OSError``.
"""

from __future__ import annotations

from collections.abc import Sequence

from mamoru.core.pdf import PdfUnavailableError, html_to_pdf
from mamoru.incidents.content import SubmissionView
from mamoru.incidents.exports.base import require_views
from mamoru.incidents.exports.html import report_html

__all__ = ["PdfExporter", "PdfUnavailableError", "render_pdf"]


def render_pdf(views: Sequence[SubmissionView]) -> bytes:
    """One PDF with every view, each starting on a new page with its own header (each
    submission's TLP label lives in its own page margins)."""
    return html_to_pdf([report_html(view) for view in views])


class PdfExporter:
    name = "pdf"
    media_type = "application/pdf"
    file_extension = "pdf"

    def render(self, views: Sequence[SubmissionView]) -> bytes:
        return render_pdf(require_views(views))
