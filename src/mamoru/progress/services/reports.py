"""Monthly reports: opened with last month's values, saved as one goes, submitted, confirmed
"no change since last month" in one click, or imported from Excel (all or nothing)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.core.access import Permission
from mamoru.core.exceptions import StateConflict
from mamoru.core.tabular import RowErrors, TableError, read_rows
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Actor, Principal, audit, require
from mamoru.progress.attachments import MAX_ATTACHMENTS, Upload, attachment_fields
from mamoru.progress.lateness import month_of
from mamoru.progress.models import (
    Campaign,
    CampaignItem,
    DelayReason,
    ItemReport,
    MonthlyReport,
    Participation,
    ReportAttachment,
    ReportStatus,
)
from mamoru.progress.schedule import CampaignPlan, plan_of

NOTE_MAX = 2000
# The columns of a month's report as a table (export, and the Excel import reads them back).
COLUMN_CODE = "業務コード"
COLUMN_NAME = "業務名"
COLUMN_STEP = "到達したステップ"
COLUMN_STEP_NAME = "ステップ名"
COLUMN_REACHED = "到達した月"
COLUMN_REASON = "遅れの理由"
COLUMN_NOTE = "遅れの理由（詳しく）"
REPORT_COLUMNS = (
    COLUMN_CODE,
    COLUMN_NAME,
    COLUMN_STEP,
    COLUMN_STEP_NAME,
    COLUMN_REACHED,
    COLUMN_REASON,
    COLUMN_NOTE,
)


@dataclass(frozen=True)
class ItemEntry:
    """What is reported for one item."""

    step: int
    reached_month: date | None = None
    delay_reason: str = ""
    delay_note: str = ""


def _check_editor(principal: Actor, organisation: Organisation) -> None:
    require(
        principal,
        Permission.DATA_EDIT,
        organisation=organisation,
        message=_("この団体の進捗を報告する権限がありません。"),
    )


def _participating(campaign: Campaign, organisation: Organisation) -> None:
    if (
        not Participation.objects.unscoped("the service checked the principal")
        .filter(campaign=campaign, organisation=organisation)
        .exists()
    ):
        raise PermissionDenied(_("この団体はこの進捗管理の対象ではありません。"))


def _previous_items(report: MonthlyReport) -> list[ItemReport]:
    previous = (
        MonthlyReport.objects.unscoped("the service checked the principal")
        .filter(
            campaign=report.campaign,
            organisation=report.organisation,
            status=ReportStatus.SUBMITTED,
            month__lt=report.month,
        )
        .order_by("-month")
        .first()
    )
    if previous is None:
        return []
    return list(
        ItemReport.objects.unscoped("the service checked the principal").filter(report=previous)
    )


@transaction.atomic
def report_open(
    *,
    principal: Actor,
    campaign: Campaign,
    organisation: Organisation,
    month: date,
    today: date | None = None,
) -> MonthlyReport:
    """The report of ``month`` (created, when new, with the last submitted values: one
    only changes what moved). Editors of the organisation only; months up to now."""
    _check_editor(principal, organisation)
    _participating(campaign, organisation)
    month = month_of(month)
    plan = plan_of(campaign)
    if not plan.reportable(month, today):
        raise ValidationError(
            {"month": [_("この月の報告はできません（進捗管理の期間内で、今月までの月です）。")]}
        )
    report, created = MonthlyReport.objects.unscoped(
        "the service checked the principal"
    ).get_or_create(campaign=campaign, organisation=organisation, month=month)
    if created:
        carried = {row.item_id: row for row in _previous_items(report)}
        ItemReport.objects.bulk_create(
            ItemReport(
                report=report,
                item=item,
                step=carried[item.pk].step if item.pk in carried else 0,
                reached_month=carried[item.pk].reached_month if item.pk in carried else None,
                delay_reason=carried[item.pk].delay_reason if item.pk in carried else "",
                delay_note=carried[item.pk].delay_note if item.pk in carried else "",
            )
            for item in plan.items
        )
    return report


def _entry_errors(plan: CampaignPlan, month: date, name: str, entry: ItemEntry) -> list[str]:
    errors = []
    if not 0 <= entry.step <= plan.step_count:
        errors.append(
            _("%(item)s: ステップは0（未着手）から%(max)dまでです。")
            % {"item": name, "max": plan.step_count}
        )
    if entry.reached_month is not None and month_of(entry.reached_month) > month:
        errors.append(_("%(item)s: 到達した月が報告月より後です。") % {"item": name})
    if entry.delay_reason and entry.delay_reason not in DelayReason.values:
        errors.append(_("%(item)s: 遅れの理由を一覧から選んでください。") % {"item": name})
    if len(entry.delay_note) > NOTE_MAX:
        errors.append(_("%(item)s: 遅れの理由（詳しく）は2000文字以内です。") % {"item": name})
    return errors


@transaction.atomic
def report_save(
    *, principal: Actor, report: MonthlyReport, entries: Mapping[str, ItemEntry]
) -> MonthlyReport:
    """Save what is reported for the items named by code (all or nothing). A submitted
    report that changes goes back to draft until it is submitted again."""
    _check_editor(principal, report.organisation)
    plan = plan_of(report.campaign)
    by_code = {item.code: item for item in plan.items}
    unknown = [code for code in entries if code not in by_code]
    errors = [_("業務コード %s はこの進捗管理にありません。") % code for code in unknown]
    for code, entry in entries.items():
        if code in by_code:
            errors += _entry_errors(plan, report.month, by_code[code].name, entry)
    if errors:
        raise ValidationError(errors)
    rows = {
        row.item_id: row
        for row in ItemReport.objects.unscoped("the service checked the principal")
        .select_for_update()
        .filter(report=report)
    }
    changed = False
    for code, entry in entries.items():
        row = rows.get(by_code[code].pk) or ItemReport(report=report, item=by_code[code])
        values = (
            entry.step,
            month_of(entry.reached_month) if entry.reached_month and entry.step else None,
            entry.delay_reason,
            entry.delay_note.strip(),
        )
        if row.pk and (row.step, row.reached_month, row.delay_reason, row.delay_note) == values:
            continue
        row.step, row.reached_month, row.delay_reason, row.delay_note = values
        row.save()
        changed = True
    if changed or report.status != ReportStatus.SUBMITTED:
        was_submitted = report.status == ReportStatus.SUBMITTED
        report.status = ReportStatus.DRAFT
        report.unchanged = False
        report.saved_at = timezone.now()
        report.saved_by = principal.user if isinstance(principal, Principal) else None
        report.save(update_fields=["status", "unchanged", "saved_at", "saved_by"])
        audit(
            principal,
            "progress.report.save",
            organisation=report.organisation,
            target=_target(report),
            details={"items": sorted(entries), "reopened": was_submitted},
        )
        if was_submitted:
            _refresh_after_commit(report)
    return report


def _target(report: MonthlyReport) -> str:
    return f"campaign:{report.campaign.key}:{report.month:%Y-%m}"


def _missing_reasons(plan: CampaignPlan, report: MonthlyReport) -> list[str]:
    rows = ItemReport.objects.unscoped("the service checked the principal").filter(report=report)
    by_item = {row.item_id: row for row in rows}
    missing = []
    for item in plan.items:
        row = by_item.get(item.pk)
        step = row.step if row else 0
        if plan.standing(item, step, report.month).late and not (row and row.delay_reason):
            missing.append(item.name)
    return missing


@transaction.atomic
def report_submit(*, principal: Actor, report: MonthlyReport) -> MonthlyReport:
    """Submit the month's report. Every item behind the plan by the campaign's margin
    needs a reason for the delay (the prefecture and the nation read it first)."""
    _check_editor(principal, report.organisation)
    report = (
        MonthlyReport.objects.unscoped("the service checked the principal")
        .select_for_update(of=("self",))  # the related rows are read, not locked
        .select_related("campaign", "organisation")
        .get(pk=report.pk)
    )
    if report.status == ReportStatus.SUBMITTED:
        raise StateConflict(_("この月の報告は提出済みです。"))
    missing = _missing_reasons(plan_of(report.campaign), report)
    if missing:
        raise ValidationError(
            {
                "delay_reason": [
                    _("計画より遅れている業務の遅れの理由を選んでください: %s") % "、".join(missing)
                ]
            }
        )
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = principal.user if isinstance(principal, Principal) else None
    report.save(update_fields=["status", "submitted_at", "submitted_by"])
    audit(
        principal,
        "progress.report.unchanged" if report.unchanged else "progress.report.submit",
        organisation=report.organisation,
        target=_target(report),
    )
    _refresh_after_commit(report)
    return report


@transaction.atomic
def report_confirm_unchanged(
    *,
    principal: Actor,
    campaign: Campaign,
    organisation: Organisation,
    month: date,
    today: date | None = None,
) -> MonthlyReport:
    """One click: this month is as the last submitted month (copied, then submitted)."""
    report = report_open(
        principal=principal, campaign=campaign, organisation=organisation, month=month, today=today
    )
    if report.status == ReportStatus.SUBMITTED:
        raise StateConflict(_("この月の報告は提出済みです。"))
    previous = _previous_items(report)
    if not previous:
        raise StateConflict(_("前月までに提出した報告がないため、「変更なし」にはできません。"))
    by_item = {row.item_id: row for row in previous}
    for row in ItemReport.objects.unscoped("the service checked the principal").filter(
        report=report
    ):
        old = by_item.get(row.item_id)
        row.step = old.step if old else 0
        row.reached_month = old.reached_month if old else None
        row.delay_reason = old.delay_reason if old else ""
        row.delay_note = old.delay_note if old else ""
        row.save()
    report.unchanged = True
    report.save(update_fields=["unchanged"])
    return report_submit(principal=principal, report=report)


def _month_cell(value: str) -> date | None:
    """``2025-04``, ``2025/4``, ``2025-04-01`` or a spreadsheet date (``2025-04-01 00:00:00``)."""
    text = value.strip().replace("/", "-")
    if not text:
        return None
    for pattern in ("%Y-%m", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return month_of(datetime.strptime(text, pattern).date())
        except ValueError:
            continue
    raise ValueError(value)


def _reason_cell(value: str) -> str:
    text = value.strip()
    if not text:
        return ""
    for reason in DelayReason:
        if text in (reason.value, str(reason.label)):
            return str(reason.value)
    raise ValueError(value)


def entries_from_table(data: bytes, *, filename: str, codes: Sequence[str]) -> dict[str, ItemEntry]:
    """The entries of an uploaded CSV or Excel report (``ValidationError`` listing every
    wrong row in Japanese; nothing is returned half-read)."""
    try:
        rows = read_rows(data, filename=filename, required=(COLUMN_CODE, COLUMN_STEP))
    except TableError as error:
        raise ValidationError({"file": [str(error)]}) from error
    problems = RowErrors()
    entries: dict[str, ItemEntry] = {}
    for row in rows:
        code = row.values[COLUMN_CODE]
        if code not in codes:
            problems.add(row.line, _("業務コード「%s」はこの進捗管理にありません。") % code)
            continue
        if code in entries:
            problems.add(row.line, _("業務コード「%s」が2回あります。") % code)
            continue
        step_text = row.values[COLUMN_STEP].removesuffix(".0")
        if not step_text.isdigit():
            problems.add(row.line, _("到達したステップは0以上の整数で入力してください。"))
            continue
        try:
            reached = _month_cell(row.values.get(COLUMN_REACHED, ""))
        except ValueError:
            problems.add(row.line, _("到達した月は 2025-04 の形で入力してください。"))
            continue
        try:
            reason = _reason_cell(row.values.get(COLUMN_REASON, ""))
        except ValueError:
            problems.add(row.line, _("遅れの理由は一覧にある言葉で入力してください。"))
            continue
        entries[code] = ItemEntry(int(step_text), reached, reason, row.values.get(COLUMN_NOTE, ""))
    missing = [code for code in codes if code not in entries and not problems]
    if missing:
        problems.errors.append(_("次の業務の行がありません: %s") % "、".join(missing))
    if problems:
        raise ValidationError({"file": problems.errors})
    return entries


@transaction.atomic
def report_import(
    *, principal: Actor, report: MonthlyReport, data: bytes, filename: str
) -> MonthlyReport:
    """Replace the month's values with an uploaded CSV or Excel table (every row checked
    first: one wrong row and nothing is saved)."""
    _check_editor(principal, report.organisation)
    codes = [item.code for item in plan_of(report.campaign).items]
    entries = entries_from_table(data, filename=filename, codes=codes)
    report = report_save(principal=principal, report=report, entries=entries)
    audit(
        principal,
        "progress.report.import",
        organisation=report.organisation,
        target=_target(report),
        details={"file": filename[:100], "rows": len(entries)},
    )
    return report


@transaction.atomic
def report_attachment_add(
    *,
    principal: Actor,
    report: MonthlyReport,
    upload: Upload,
    item: CampaignItem | None = None,
) -> ReportAttachment:
    """Attach a file to the month's report (or to one of its items)."""
    _check_editor(principal, report.organisation)
    attached = ReportAttachment.objects.unscoped("the service checked the principal").filter(
        report=report
    )
    if attached.count() >= MAX_ATTACHMENTS * 2:
        raise ValidationError({"file": [_("1か月の報告に添付できるファイルは20件までです。")]})
    attachment = ReportAttachment.objects.create(
        report=report,
        item=item,
        uploaded_by=principal.user if isinstance(principal, Principal) else None,
        **attachment_fields(upload),
    )
    audit(
        principal,
        "progress.attachment.add",
        organisation=report.organisation,
        target=f"report-attachment:{attachment.pk}",
        details={"name": attachment.name, "size": attachment.size},
    )
    return attachment


def _refresh_after_commit(report: MonthlyReport) -> None:
    campaign_id, code, month = (
        report.campaign_id,
        report.organisation.prefecture_code,
        report.month.isoformat(),
    )

    def enqueue() -> None:
        from mamoru.progress.tasks import refresh_prefecture

        refresh_prefecture.enqueue(campaign_id, code, month)

    transaction.on_commit(enqueue)
