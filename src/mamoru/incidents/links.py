"""Where notifications point: the web pages of a report and of an inbox item.

Kept in one place so that the web pages can settle their URLs without touching services
(the pages' URL patterns should match these paths).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mamoru.incidents.models import Delivery, IncidentReport


def report_link(report: IncidentReport) -> str:
    return f"/incidents/reports/{report.public_id}/"


def inbox_link(delivery: Delivery) -> str:
    return f"/incidents/inbox/{delivery.pk}/"
