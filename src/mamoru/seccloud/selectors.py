"""Every read of the security cloud, from the gate (``DataKind.SECURITY_LOGS``): the
prefecture that operates the cloud reads its municipalities' alerts and figures, a
municipality its own, the nation the rollups by prefecture only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from mamoru.audit.reads import audited_read
from mamoru.core.progress import progress_get
from mamoru.orgs.models import Organisation, OrganisationKind
from mamoru.orgs.policy import Access, DataKind
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import organisations_readable
from mamoru.seccloud.models import (
    HIGH_SEVERITY,
    AddressRange,
    Alert,
    AlertStatus,
    DetectionRule,
    Device,
    DeviceDay,
    IngestRun,
    MonthlyFigures,
    ReportSchedule,
)

KIND = DataKind.SECURITY_LOGS


def _records(principal: Principal) -> QuerySet[Organisation]:
    return organisations_readable(principal=principal, kind=KIND)


def prefecture_get(*, principal: Principal, code: str) -> Organisation:
    """A prefecture whose cloud the principal reads at record level (its own operators;
    the nation reads statistics only); ``Organisation.DoesNotExist`` otherwise."""
    return _records(principal).get(code=code, kind=OrganisationKind.PREFECTURE)


def organisation_get(*, principal: Principal, code: str) -> Organisation:
    """A local government whose security-cloud records the principal reads."""
    return _records(principal).get(code=code)


def operates(principal: Principal) -> Organisation | None:
    """The prefecture the principal works for, if it acts in one."""
    org = principal.organisation
    return org if org.kind == OrganisationKind.PREFECTURE else None


def sees_national(principal: Principal) -> bool:
    """Whether the principal reads other prefectures' rollups (the nation)."""
    return (
        organisations_readable(principal=principal, kind=KIND, access=Access.STATISTICS)
        .filter(kind=OrganisationKind.PREFECTURE)
        .exclude(pk=principal.organisation.pk)
        .exists()
    )


@audited_read("seccloud.alerts.read")
def alerts_of(
    *, principal: Principal, organisation: Organisation, status: str = ""
) -> QuerySet[Alert]:
    """The alerts of a prefecture (all its municipalities') or of one municipality."""
    readable = _records(principal)
    qs = Alert.objects.within(readable).select_related("organisation")
    if organisation.kind == OrganisationKind.PREFECTURE:
        qs = qs.filter(prefecture=organisation)
    else:
        qs = qs.filter(organisation=organisation)
    if status in AlertStatus.values:
        qs = qs.filter(status=status)
    return qs


def alert_get(*, principal: Principal, pk: int) -> Alert:
    """One alert the principal reads; ``Alert.DoesNotExist`` otherwise."""
    return (
        Alert.objects.within(_records(principal))
        .select_related("organisation", "prefecture", "acknowledged_by", "closed_by")
        .get(pk=pk)
    )


def alerts_open_high(*, principal: Principal) -> QuerySet[Alert]:
    """Open alerts of high severity or above that concern the principal's organisation
    (a prefecture: every municipality's; a municipality: its own)."""
    org = principal.organisation
    qs = Alert.objects.within(_records(principal)).filter(
        status=AlertStatus.OPEN, severity_id__gte=HIGH_SEVERITY
    )
    scope = Q(prefecture=org) if org.kind == OrganisationKind.PREFECTURE else Q(organisation=org)
    return qs.filter(scope).select_related("organisation")


@dataclass(frozen=True)
class AlertCounts:
    open: int
    acknowledged: int
    high_open: int


def alert_counts(*, principal: Principal, prefecture: Organisation) -> AlertCounts:
    qs = Alert.objects.within(_records(principal)).filter(prefecture=prefecture)
    got = qs.aggregate(
        open=Count("pk", filter=Q(status=AlertStatus.OPEN)),
        acknowledged=Count("pk", filter=Q(status=AlertStatus.ACKNOWLEDGED)),
        high_open=Count("pk", filter=Q(status=AlertStatus.OPEN, severity_id__gte=HIGH_SEVERITY)),
    )
    return AlertCounts(**got)


@dataclass(frozen=True)
class DeviceHealth:
    device: Device
    last_line_at: object
    lines_today: int
    lines_per_minute: int
    quarantined_today: int
    quarantined_month: int


def device_health(
    *, principal: Principal, prefecture: Organisation, today: date
) -> list[DeviceHealth]:
    """Each device of the prefecture: last line seen, today's lines and rate, quarantine."""
    prefecture = prefecture_get(principal=principal, code=prefecture.code)
    devices = list(Device.objects.within(_records(principal)).filter(prefecture=prefecture))
    days = DeviceDay.objects.within(_records(principal)).filter(device__in=devices)
    last = dict(days.values("device").annotate(m=Max("last_line_at")).values_list("device", "m"))
    month = dict(
        days.filter(day__gte=today.replace(day=1))
        .values("device")
        .annotate(q=Sum("quarantined"))
        .values_list("device", "q")
    )
    today_rows = {d.device_id: d for d in days.filter(day=today)}
    rows = []
    for device in devices:
        row = today_rows.get(device.pk)
        rows.append(
            DeviceHealth(
                device=device,
                last_line_at=last.get(device.pk),
                lines_today=row.lines if row else 0,
                lines_per_minute=row.lines_per_minute if row else 0,
                quarantined_today=row.quarantined if row else 0,
                quarantined_month=month.get(device.pk) or 0,
            )
        )
    return rows


def devices_of(*, principal: Principal, prefecture: Organisation) -> QuerySet[Device]:
    return Device.objects.within(_records(principal)).filter(prefecture=prefecture)


def rules_of(*, principal: Principal, prefecture: Organisation) -> QuerySet[DetectionRule]:
    return DetectionRule.objects.within(_records(principal)).filter(prefecture=prefecture)


def ranges_of(*, principal: Principal, prefecture: Organisation) -> QuerySet[AddressRange]:
    return (
        AddressRange.objects.within(_records(principal))
        .filter(prefecture_code=prefecture.prefecture_code)
        .select_related("organisation")
    )


def schedule_of(*, principal: Principal, prefecture: Organisation) -> ReportSchedule | None:
    return ReportSchedule.objects.within(_records(principal)).filter(prefecture=prefecture).first()


def ingest_runs(*, principal: Principal, prefecture: Organisation) -> QuerySet[IngestRun]:
    """The prefecture's ingest runs, newest first (running ones show their progress)."""
    return IngestRun.objects.within(_records(principal)).filter(prefecture=prefecture)


def run_progress_text(run: IngestRun) -> str:
    """What a running task reported, if it runs as a task."""
    if not run.task_id:
        return ""
    progress = progress_get(task_id=run.task_id)
    return progress.message if progress else ""


@audited_read("seccloud.report.read")
def figures_of(
    *, principal: Principal, organisation: Organisation, month: date
) -> MonthlyFigures | None:
    """The stored monthly figures of a prefecture (whole) or a municipality."""
    return (
        MonthlyFigures.objects.within(_records(principal))
        .filter(organisation=organisation, month=month.replace(day=1))
        .first()
    )


@audited_read(
    "seccloud.report.export",
    details=lambda a: {"format": a["fmt"], "month": a["month"].strftime("%Y-%m")},
)
def figures_for_export(
    *, principal: Principal, organisation: Organisation, month: date, fmt: str
) -> MonthlyFigures | None:
    """The figures a PDF or CSV export carries (each export recorded with its format)."""
    return (
        MonthlyFigures.objects.within(_records(principal))
        .filter(organisation=organisation, month=month.replace(day=1))
        .first()
    )


def figures_by_municipality(
    *, principal: Principal, prefecture: Organisation, month: date
) -> QuerySet[MonthlyFigures]:
    return (
        MonthlyFigures.objects.within(_records(principal))
        .filter(prefecture=prefecture, month=month.replace(day=1))
        .exclude(organisation=prefecture)
        .select_related("organisation")
        .order_by("organisation__code")
    )


def months_with_figures(*, principal: Principal, organisation: Organisation) -> list[date]:
    return list(
        MonthlyFigures.objects.within(_records(principal))
        .filter(organisation=organisation)
        .order_by("-month")
        .values_list("month", flat=True)
    )


def national_rollup(*, principal: Principal, month: date) -> QuerySet[MonthlyFigures]:
    """The whole-prefecture figures of ``month`` the principal reads as statistics (the
    nation: every prefecture's; a prefecture: its own). Never a municipality's row; a
    municipality is refused (it reads its own figures on its own page)."""
    if principal.supervisor is None:
        raise PermissionDenied(_("全国集計は国と都道府県が見るページです。"))
    readable = organisations_readable(principal=principal, kind=KIND, access=Access.STATISTICS)
    return (
        MonthlyFigures.objects.within(readable)
        .filter(month=month.replace(day=1), organisation__kind=OrganisationKind.PREFECTURE)
        .select_related("organisation")
        .order_by("organisation__code")
    )
