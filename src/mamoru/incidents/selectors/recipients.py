"""Who a report goes to, and whether each can receive it on the platform.

A recipient the routing names may have nobody on the platform yet (today, for instance,
the police and the National Cybersecurity Office). Its delivery waits there, but the
reporter must also tell it by phone or e-mail (its numbers come from the organisation
directory), and records that it did (``services.outside_report_record``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from mamoru.core.access import Permission
from mamoru.incidents.models import Delivery, IncidentReport, OutsideReport
from mamoru.incidents.selectors.reports import _own_records, report_deliveries
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import people_acting_in


@dataclass(frozen=True)
class Reach:
    """How a recipient body can be reached: on the platform, or by its directory contact."""

    code: str
    name: str
    organisation: Organisation | None  # None: a body the registry lacks
    on_platform: bool

    @property
    def contact_known(self) -> bool:
        return self.organisation is not None and self.organisation.has_incident_contact


def _on_platform(organisation: Organisation) -> bool:
    """Someone there can read what is delivered to it."""
    return bool(people_acting_in(organisation=organisation, permission=Permission.DATA_VIEW))


def recipients_reach(*, principal: Principal, codes: Iterable[tuple[str, str]]) -> list[Reach]:
    """For (code, name) pairs of recipients the routing names: whether each has anyone on
    the platform, and its directory entry (public facts; no report is read here)."""
    pairs = list(codes)
    found = {
        o.code: o
        for o in Organisation.objects.unscoped("public directory facts of recipient bodies").filter(
            code__in=[code for code, _name in pairs]
        )
    }
    return [
        Reach(
            code,
            found[code].name if code in found else name,
            found.get(code),
            code in found and _on_platform(found[code]),
        )
        for code, name in pairs
    ]


@dataclass(frozen=True)
class RecipientState:
    """One recipient of an own report: the newest delivery, how it is reached, and what the
    reporter recorded of telling it outside the platform."""

    delivery: Delivery
    reach: Reach
    outside: list[OutsideReport] = field(default_factory=list)

    @property
    def told_outside(self) -> bool:
        """The newest version sent was also told outside the platform."""
        return any(r.version >= self.delivery.submission.version for r in self.outside)

    @property
    def needs_outside(self) -> bool:
        return not self.reach.on_platform and not self.told_outside


def report_recipients(*, principal: Principal, report: IncidentReport) -> list[RecipientState]:
    """For the reporter: each recipient of an own report with its newest delivery, whether
    anyone there is on the platform, and the records of telling it otherwise."""
    deliveries = list(report_deliveries(principal=principal, report=report))
    reach = {
        r.code: r
        for r in recipients_reach(
            principal=principal,
            codes=[(d.recipient.code, d.recipient.name) for d in deliveries],
        )
    }
    records: dict[int, list[OutsideReport]] = {}
    for record in (
        OutsideReport.objects.within(_own_records(principal))
        .filter(report=report)
        .select_related("recorded_by")
        .order_by("-version", "-reported_at")
    ):
        records.setdefault(record.recipient_id, []).append(record)
    return [
        RecipientState(d, reach[d.recipient.code], records.get(d.recipient_id, []))
        for d in deliveries
    ]
