"""PDF of submissions, rendered by WeasyPrint from ``html.report_html``.

WeasyPrint needs Debian's pango and harfbuzz, and Japanese text needs the Noto CJK fonts;
``scripts/install-system-packages.sh run`` installs them. WeasyPrint is imported when a
PDF is made, so that the rest of the platform starts on a machine without them, and a
missing library is reported as :class:`PdfUnavailableError` rather than an ``OSError``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mamoru.incidents.content import SubmissionView
from mamoru.incidents.exports.base import ExportError, require_views
from mamoru.incidents.exports.html import report_html


class PdfUnavailableError(ExportError):
    """WeasyPrint or the system libraries it loads are not installed."""


def weasyprint_html() -> Any:
    """WeasyPrint's ``HTML`` class; :class:`PdfUnavailableError` when it cannot be loaded."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: pango or harfbuzz missing
        raise PdfUnavailableError(f"PDF export needs WeasyPrint and pango: {error}") from error
    return HTML


def render_pdf(views: Sequence[SubmissionView]) -> bytes:
    """One PDF with every view, each starting on a new page with its own header."""
    html_class = weasyprint_html()
    # Each submission is its own document (its TLP label lives in its page margins);
    # their pages are then joined into one file.
    documents = [html_class(string=report_html(view)).render() for view in views]
    pages = [page for document in documents for page in document.pages]
    pdf: bytes = documents[0].copy(pages).write_pdf()
    return pdf


class PdfExporter:
    name = "pdf"
    media_type = "application/pdf"
    file_extension = "pdf"

    def render(self, views: Sequence[SubmissionView]) -> bytes:
        return render_pdf(require_views(views))
