"""Vulnerability feed importers, registered in one place.

Each importer parses one feed format into records (``records.py``); persisting them is
the job of ``mamoru.vulns.services.feed_import``, which does it atomically for any
importer. To add a feed: write a module with a class satisfying ``Importer`` and list it
in ``IMPORTERS``.
"""

from __future__ import annotations

from mamoru.vulns.importers.base import Importer
from mamoru.vulns.importers.cve5 import Cve5Importer
from mamoru.vulns.importers.epss import EpssImporter
from mamoru.vulns.importers.feed import FeedError
from mamoru.vulns.importers.jvn import JvnImporter
from mamoru.vulns.importers.kev import KevImporter
from mamoru.vulns.importers.nvd import NvdImporter
from mamoru.vulns.importers.osv import OsvImporter

IMPORTERS: dict[str, Importer] = {
    importer.source: importer
    for importer in (
        Cve5Importer(),
        NvdImporter(),
        JvnImporter(),
        KevImporter(),
        EpssImporter(),
        OsvImporter(),
    )
}


def get_importer(source: str) -> Importer:
    try:
        return IMPORTERS[source]
    except KeyError:
        known = ", ".join(sorted(IMPORTERS))
        raise FeedError(source, f"unknown source; choose one of {known}") from None


__all__ = ["IMPORTERS", "FeedError", "Importer", "get_importer"]
