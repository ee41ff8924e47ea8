"""Background work: a scheduled feed import by URL, and the exposure query after a KEV
update. Tasks take plain values, call services and selectors, and are idempotent: an
import of an unchanged feed changes nothing, and the exposure query only reads.

Each feed in ``MAMORU_FEEDS`` (``source=url``) is imported daily by the scheduler; with
none configured (the default: LGWAN has no internet) nothing is declared.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django_tasks import task

from mamoru.core.scheduler import periodic
from mamoru.vulns.importers import IMPORTERS
from mamoru.vulns.selectors import exposure_counts_by_organisation, kev_entries_added_since
from mamoru.vulns.services import feed_import


@task()
def import_feed(source: str, url: str) -> int:
    """Import a feed from its URL; returns the import log id."""
    return feed_import(source=source, url=url).pk


@task()
def kev_exposures(since: str) -> dict[str, dict[str, int]]:
    """For each KEV entry added since a date (ISO), the exposed services per organisation.

    Notifications are for the ASM's alerting to send: this returns what it needs.
    """
    day = dt.date.fromisoformat(since)
    return {
        cve_id: {str(org): n for org, n in exposure_counts_by_organisation(
            vulnerability_id=cve_id
        ).items()}
        for cve_id in kev_entries_added_since(since=day)
    }  # fmt: skip


def _declare_feed_imports() -> None:
    for source, url in settings.MAMORU_FEEDS.items():
        if source not in IMPORTERS:
            raise ImproperlyConfigured(
                f"MAMORU_FEEDS: 取り込み元 {source!r} はありません"
                f"（{', '.join(sorted(IMPORTERS))} のいずれか）"
            )
        periodic(
            import_feed,
            every=dt.timedelta(days=1),
            name=f"vulns.import-feed.{source}",
            args=(source, url),
            description=f"{IMPORTERS[source].description} の取り込み（{url}）",
        )


_declare_feed_imports()
