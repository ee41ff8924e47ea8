"""PDF from HTML, rendered by WeasyPrint (reports, feedback, monthly summaries).

WeasyPrint needs Debian's pango and harfbuzz, and Japanese text needs the Noto CJK fonts;
``scripts/install-system-packages.sh run`` installs them. WeasyPrint is imported when a
PDF is made, so that the rest of the platform starts on a machine without them, and a
missing library is reported as ``PdfUnavailableError`` rather than an ``OSError``. Pages
are rendered from the platform's own HTML and CSS only: WeasyPrint's URL fetcher refuses
everything but ``data:`` URLs, so a report can never make the server fetch an address.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class PdfUnavailableError(RuntimeError):
    """WeasyPrint or the system libraries it loads are not installed."""


def _refuse_fetch(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        result: dict[str, Any] = default_url_fetcher(url)
        return result
    raise ValueError(f"no outside resources in a PDF: {url[:80]}")


def weasyprint_html() -> Any:
    """WeasyPrint's ``HTML`` class; ``PdfUnavailableError`` when it cannot be loaded."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: pango or harfbuzz missing
        raise PdfUnavailableError(f"PDF export needs WeasyPrint and pango: {error}") from error
    return HTML


def html_to_pdf(documents: Sequence[str]) -> bytes:
    """One PDF of ``documents`` (whole HTML pages), each starting on a new page with its own
    page margins (headers, markings)."""
    html_class = weasyprint_html()
    rendered = [html_class(string=html, url_fetcher=_refuse_fetch).render() for html in documents]
    pages = [page for document in rendered for page in document.pages]
    pdf: bytes = rendered[0].copy(pages).write_pdf()
    return pdf
