"""Exports of incident submissions: STIX 2.1, the PPC report items, PDF, CSV and the common
ransomware/DDoS form.

Every format takes views already cut for their audience by ``content.view_for`` and
returns the file's bytes. The API and the pages look a format up here by name::

    exporter = EXPORTERS["pdf"]
    body = exporter.render([view])  # served as exporter.media_type, .file_extension

``ppc_report`` gives the PPC items as structured data for the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from mamoru.incidents.exports.base import Exporter, ExportError
from mamoru.incidents.exports.common_form import CommonFormExporter, common_form_items
from mamoru.incidents.exports.csv_export import CsvExporter
from mamoru.incidents.exports.pdf import PdfExporter, PdfUnavailableError
from mamoru.incidents.exports.ppc import PpcExporter, PpcItem, PpcReport, ppc_report
from mamoru.incidents.exports.stix import StixExporter, bundle_for

__all__ = [
    "EXPORTERS",
    "ExportError",
    "Exporter",
    "PdfUnavailableError",
    "PpcItem",
    "PpcReport",
    "bundle_for",
    "common_form_items",
    "ppc_report",
]

# The one registry of formats; read-only so that nothing swaps a format at run time.
_FORMATS: Final[tuple[Exporter, ...]] = (
    StixExporter(),
    PpcExporter(),
    PdfExporter(),
    CsvExporter(),
    CommonFormExporter(),
)
EXPORTERS: Final[Mapping[str, Exporter]] = MappingProxyType({e.name: e for e in _FORMATS})
