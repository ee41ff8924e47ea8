"""Dashboards for the campaign's sender and the prefectures: implementation rate per item
and chapter, campaign progress by prefecture, organisations behind on mandatory items,
the follow-up list, and the results export.

Who sees which area: the sender of a campaign (総務省 for a national one) sees every
target; a prefecture sees its own area (itself and its municipalities); nobody else has
a dashboard (``DoesNotExist``). The item rates come from the per-prefecture counts the
services keep (``ItemTally``), so a dashboard reads at most 47 × items counts however
many organisations answered: the number of queries and the work do not grow with them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from mamoru.assessments import definitions
from mamoru.assessments.library import Framework
from mamoru.assessments.models import (
    COUNTED,
    EDITABLE,
    Campaign,
    FollowUpNote,
    ItemTally,
    Target,
    TargetStatus,
)
from mamoru.assessments.selectors.campaigns import addressed, is_sender, targets_of
from mamoru.audit.reads import audited_read
from mamoru.core.jpcalendar import to_jst
from mamoru.orgs.models import OrganisationKind
from mamoru.orgs.policy import Supervisor
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import organisation_list

STATUS_ORDER = [s.value for s in TargetStatus]
SUBMITTED_ANSWERS = (
    "current_submission__answers",
    "current_submission__comments",
    "current_submission__scores",
)


@dataclass(frozen=True)
class Area:
    """The part of a campaign a principal follows up: everything (its sender) or one
    prefecture (``prefecture_code``)."""

    prefecture_code: str | None

    @property
    def whole(self) -> bool:
        return self.prefecture_code is None


def area_of(*, principal: Principal, campaign: Campaign) -> Area:
    """The principal's follow-up area in ``campaign``; ``Campaign.DoesNotExist`` when it
    has none (a municipality, a recipient body, or a campaign not its own or its area's)."""
    if is_sender(principal, campaign):
        if principal.supervisor == Supervisor.PREFECTURE:
            return Area(principal.organisation.prefecture_code)
        return Area(None)
    if (
        principal.supervisor == Supervisor.PREFECTURE
        and targets_of(principal=principal, campaign=campaign)
        .exclude(organisation=principal.organisation)
        .exists()
    ):
        return Area(principal.organisation.prefecture_code)
    raise Campaign.DoesNotExist


def _in_area(targets: QuerySet[Target], area: Area) -> QuerySet[Target]:
    if area.whole:
        return targets
    return targets.filter(prefecture_code=area.prefecture_code)


@dataclass(frozen=True)
class Rate:
    """How many counted organisations implement something (実施), among those that gave
    a usable answer (not 該当なし, not unanswered)."""

    key: str
    label: str
    met: int
    partial: int
    unmet: int
    not_applicable: int
    unanswered: int
    mandatory: bool = False

    @property
    def answered(self) -> int:
        return self.met + self.partial + self.unmet

    @property
    def rate(self) -> float | None:
        return round(100.0 * self.met / self.answered, 1) if self.answered else None


@dataclass(frozen=True)
class ProgressRow:
    key: str
    label: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def submitted(self) -> int:
        return sum(self.counts.get(s, 0) for s in COUNTED)

    @property
    def rate(self) -> float | None:
        return round(100.0 * self.submitted / self.total, 1) if self.total else None


@dataclass(frozen=True)
class Dashboard:
    campaign: Campaign
    area: Area
    framework: Framework
    items: list[Rate]
    chapters: list[Rate]
    progress: list[ProgressRow]
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def counted(self) -> int:
        return sum(self.totals.get(s, 0) for s in COUNTED)

    @property
    def total(self) -> int:
        return sum(self.totals.values())


COLUMNS = ("met", "partial", "unmet", "not_applicable", "unanswered")


def _tallies(principal: Principal, campaign: Campaign, area: Area) -> dict[str, dict[str, int]]:
    """The counts of the area, one row per item: the campaign's own row (prefecture code
    empty) for the sender's whole view, the prefecture's for a prefecture's."""
    if area.whole:
        cells = ItemTally.objects.within(addressed(principal)).filter(prefecture_code="")
    else:
        cells = ItemTally.objects.unscoped(
            "the prefecture's own area: counts of organisations whose records it reads"
        ).filter(prefecture_code=area.prefecture_code)
    found: dict[str, dict[str, int]] = {}
    for row in cells.filter(campaign=campaign).values("item_id", *COLUMNS):
        values: dict[str, Any] = dict(row)
        found[str(values["item_id"])] = {c: int(values[c]) for c in COLUMNS}
    return found


def _rate(key: str, label: str, counts: Mapping[str, int], *, mandatory: bool = False) -> Rate:
    return Rate(
        key,
        label,
        met=counts.get("met", 0),
        partial=counts.get("partial", 0),
        unmet=counts.get("unmet", 0),
        not_applicable=counts.get("not_applicable", 0),
        unanswered=counts.get("unanswered", 0),
        mandatory=mandatory,
    )


def _rates(
    framework: Framework, tallies: dict[str, dict[str, int]]
) -> tuple[list[Rate], list[Rate]]:
    items = [
        _rate(item.id, item.question.ja, tallies.get(item.id, {}), mandatory=item.mandatory)
        for item in framework.items
    ]
    by_chapter: dict[str, Counter[str]] = {}
    for item in framework.items:
        if item.guideline is not None:
            counter = by_chapter.setdefault(item.guideline.chapter, Counter())
            counter.update(tallies.get(item.id, {}))
    chapters = [
        _rate(c.id, f"{c.id}. {c.title.ja}", by_chapter.get(c.id, Counter()))
        for c in framework.chapters
    ]
    return items, chapters


def _progress(targets: QuerySet[Target], area: Area) -> tuple[list[ProgressRow], dict[str, int]]:
    counts = targets.values("prefecture_code", "status").annotate(n=Count("pk")).order_by()
    by_prefecture: dict[str, dict[str, int]] = {}
    totals: Counter[str] = Counter()
    for row in counts:
        by_prefecture.setdefault(row["prefecture_code"], {})[row["status"]] = row["n"]
        totals[row["status"]] += row["n"]
    names = {
        o.prefecture_code: o.name
        for o in organisation_list(kind=OrganisationKind.PREFECTURE).only("prefecture_code", "name")
    }
    rows = [
        ProgressRow(code, names.get(code, code), by_prefecture[code])
        for code in sorted(by_prefecture)
    ]
    return rows, dict(totals)


@audited_read("assessments.dashboard.read", target=lambda a: f"campaign:{a['campaign'].pk}")
def dashboard(*, principal: Principal, campaign: Campaign) -> Dashboard:
    """The follow-up dashboard of ``campaign`` for the principal's area."""
    area = area_of(principal=principal, campaign=campaign)
    framework = definitions.definition(campaign.framework)
    items, chapters = _rates(framework, _tallies(principal, campaign, area))
    targets = _in_area(targets_of(principal=principal, campaign=campaign), area)
    progress, totals = _progress(targets, area)
    return Dashboard(campaign, area, framework, items, chapters, progress, totals)


def area_targets(*, principal: Principal, campaign: Campaign) -> QuerySet[Target]:
    """The targets of the principal's follow-up area (``DoesNotExist`` without one)."""
    area = area_of(principal=principal, campaign=campaign)
    return _in_area(targets_of(principal=principal, campaign=campaign), area)


def behind_on_mandatory(*, principal: Principal, campaign: Campaign) -> QuerySet[Target]:
    """Organisations whose counted answers leave mandatory items unmet, most first."""
    return (
        area_targets(principal=principal, campaign=campaign)
        .filter(status__in=COUNTED, mandatory_unmet__gt=0)
        .defer(*SUBMITTED_ANSWERS)  # a list shows the figures, not the answers
        # Ties by organisation id (the code order of the official list it was loaded
        # from): the database sorts targets alone and joins only the page it returns.
        .order_by("-mandatory_unmet", "organisation_id")
    )


def follow_up(*, principal: Principal, campaign: Campaign) -> QuerySet[Target]:
    """Whom to follow up: organisations whose answers were returned, that have not
    submitted, or whose answers leave mandatory items unmet — with the latest note."""
    latest = FollowUpNote.objects.unscoped(
        "the latest note of a target the caller's gated queryset returns"
    ).filter(target=OuterRef("pk"))
    needing = Q(status__in=EDITABLE) | Q(status__in=COUNTED, mandatory_unmet__gt=0)
    return (
        area_targets(principal=principal, campaign=campaign)
        .exclude(organisation=principal.organisation)
        .filter(needing)
        .defer(*SUBMITTED_ANSWERS)
        .annotate(
            latest_note=Subquery(latest.order_by("-created_at", "-pk").values("text")[:1]),
            latest_note_at=Subquery(latest.order_by("-created_at", "-pk").values("created_at")[:1]),
        )
        .order_by("status", "-mandatory_unmet", "organisation_id")
    )


@audited_read("assessments.results.export", target=lambda a: f"campaign:{a['campaign'].pk}")
def results_rows(*, principal: Principal, campaign: Campaign) -> list[list[Any]]:
    """The results of every organisation of the principal's area (for the export)."""
    from mamoru.assessments.library.csf import FUNCTION_ORDER

    rows: list[list[Any]] = []
    targets = area_targets(principal=principal, campaign=campaign).select_related(
        "current_submission"
    )
    for target in targets:
        submission = target.current_submission
        scores = submission.scores if submission else {}

        def coverage(key: str, scores: dict[str, Any] = scores) -> Any:
            return scores.get(key, {}).get("coverage")

        rows.append(
            [
                target.organisation.code,
                target.organisation.name,
                target.prefecture_code,
                target.get_status_display(),
                submission.version if submission else None,
                to_jst(submission.submitted_at).strftime("%Y-%m-%d %H:%M") if submission else None,
                coverage("overall"),
                scores.get("overall", {}).get("level"),
                scores.get("overall", {}).get("completeness"),
                submission.mandatory_unmet if submission else None,
                *(coverage(f"csf:{f}") for f in FUNCTION_ORDER),
            ]
        )
    return rows
