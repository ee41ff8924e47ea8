"""Background work: a scheduled feed import by URL, and the exposure query after a KEV
update. Tasks take plain values, call services and selectors, and are idempotent: an
import of an unchanged feed changes nothing, and the exposure query only reads.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

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
