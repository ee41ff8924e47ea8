"""Aggregate statistics of the incidents addressed to the principal's organisation.

Built only from the newest delivery of each report to that organisation — for the nation
and the prefectures the routing rules address every incident of their area, so this is the
whole of it — and published with no organisation named and small counts suppressed
(``mamoru.core.suppression``). A fact counts only where the delivery grants its
section (PPC is not granted the category): elsewhere it falls in 「開示対象外」.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from mamoru.audit.reads import audited_read
from mamoru.core.jpcalendar import to_jst
from mamoru.core.suppression import Table, suppress, suppress_value
from mamoru.incidents.content import Phase
from mamoru.incidents.models import Delivery
from mamoru.incidents.records import delivery_view
from mamoru.incidents.routing import Category, Severity
from mamoru.incidents.routing.codes import SECTIONS
from mamoru.orgs.models import OrganisationKind
from mamoru.orgs.policy import DataKind
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import organisation_list, organisations_addressable

UNDISCLOSED: Final = "undisclosed"
UNDISCLOSED_LABEL: Final = "開示対象外"
DIMENSIONS: Final = ("category", "phase", "severity", "prefecture", "month")


@dataclass(frozen=True)
class IncidentStatistics:
    total: int | None  # None: suppressed
    tables: dict[str, Table]  # keyed by DIMENSIONS
    serious_cyber_attacks: int | None  # KPI: サイバー攻撃に起因する重大インシデント
    serious_cyber_attacks_known: bool  # False when some reports did not disclose the facts


@dataclass(frozen=True)
class _Row:
    category: str
    phase: str
    severity: str
    prefecture: str
    month: str
    kpi: bool | None  # None: not disclosed to this recipient


def _row(delivery: Delivery, prefecture_code: str) -> _Row:
    """One report counted as its recipient may see it: from the recipient's view, never from
    the stored content (a withheld category or severity is counted as 非開示)."""
    view, _facts = delivery_view(delivery)
    shown = set(SECTIONS) - set(view.withheld)
    facts = view.content.facts
    first = facts.timeline.submitted or delivery.delivered_at
    can_judge = {"category", "overview"} <= shown
    return _Row(
        category=facts.category.value if "category" in shown else UNDISCLOSED,
        phase=delivery.submission.phase,
        severity=facts.severity.value if "overview" in shown else UNDISCLOSED,
        prefecture=prefecture_code,
        month=to_jst(first).strftime("%Y-%m"),
        kpi=(facts.serious and facts.is_cyber_attack) if can_judge else None,
    )


def _labels() -> dict[str, dict[str, str]]:
    prefectures = organisation_list(kind=OrganisationKind.PREFECTURE)
    return {
        "category": {c.value: c.label for c in Category},
        "phase": {p.value: p.label for p in Phase},
        "severity": {s.value: s.label for s in Severity},
        "prefecture": {p.prefecture_code: p.name for p in prefectures},
    }


def _keys(dimension: str, counted: Counter[str], labels: dict[str, str]) -> list[str]:
    if dimension in ("prefecture", "month"):
        return sorted(counted)
    keys = list(labels)
    return [*keys, UNDISCLOSED] if counted[UNDISCLOSED] else keys


def _tables(rows: Iterable[_Row]) -> dict[str, Table]:
    rows = list(rows)
    labels = _labels()
    tables: dict[str, Table] = {}
    for dimension in DIMENSIONS:
        counted = Counter(getattr(row, dimension) for row in rows)
        names = {**labels.get(dimension, {}), UNDISCLOSED: UNDISCLOSED_LABEL}
        keys = _keys(dimension, counted, labels.get(dimension, {}))
        tables[dimension] = suppress({k: counted[k] for k in keys}, names)
    return tables


@audited_read(
    "incidents.statistics.read", target=lambda kwargs: str(kwargs["principal"].organisation.code)
)
def incident_statistics(*, principal: Principal) -> IncidentStatistics:
    """Counts by category, phase, severity, prefecture and month, and the national KPI, of
    the reports addressed to the principal's organisation (empty for everyone else)."""
    addressed = organisations_addressable(principal=principal, kind=DataKind.INCIDENTS)
    deliveries = (
        Delivery.objects.addressed_to(addressed)
        .filter(current=True)
        .select_related("submission", "recipient", "report__organisation")
    )
    rows = [_row(d, d.report.organisation.prefecture_code) for d in deliveries]
    kpi = [row.kpi for row in rows]
    return IncidentStatistics(
        total=suppress_value(len(rows)),
        tables=_tables(rows),
        serious_cyber_attacks=suppress_value(sum(1 for k in kpi if k)),
        serious_cyber_attacks_known=None not in kpi,
    )
