"""The prefecture's control plane: devices and their formats and severity maps, the
municipalities' dated address ranges, the detection rules it runs, its known-bad list
and its report schedule. Each service checks the acting principal and is audited."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mamoru.core.tabular import RowErrors, TableError, read_rows
from mamoru.orgs.models import MUNICIPAL_KINDS, Organisation, OrganisationKind
from mamoru.orgs.principal import Actor, audit
from mamoru.seccloud.engine import FORMATS, load_rules
from mamoru.seccloud.engine.schema import SEVERITY_NAMES
from mamoru.seccloud.models import (
    SEVERITY_LABELS,
    AddressRange,
    BadDestination,
    DetectionRule,
    Device,
    LogFormat,
    ReportSchedule,
)
from mamoru.seccloud.services.common import is_system, require_operator

RANGE_COLUMNS = ("organisation", "cidr", "valid_from", "valid_to")
SEVERITY_IDS = range(0, 7)


# OCSF severity_id by its word and by the Japanese label the pages show it with.
_LEVELS = {
    name: level for level, word in SEVERITY_NAMES.items() for name in (word, SEVERITY_LABELS[word])
}


def severity_lines(text: str) -> dict[str, int]:
    """A severity map as typed on the settings page: one 「機器の表記=重大度」 per line, the
    level as 0–6, an OCSF word (critical, high…) or the pages' label (緊急, 高, 中, 低, 情報).
    Every wrong line is named in one error."""
    mapped: dict[str, int] = {}
    errors = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        word, sep, level = (part.strip() for part in line.partition("="))
        value = int(level) if level.isdigit() else _LEVELS.get(level.lower())
        if not (sep and word) or value is None or value not in SEVERITY_IDS:
            errors.append(
                _("%(n)d行目「%(line)s」: 「機器の表記=重大度」の形で、重大度は 0〜6 又は "
                  "緊急・高・中・低・情報 で書いてください。") % {"n": number, "line": line.strip()}
            )  # fmt: skip
            continue
        mapped[word.lower()] = value
    if errors:
        raise ValidationError(errors)
    return mapped


def _severity_map(raw: Mapping[str, object]) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for word, value in raw.items():
        if not isinstance(value, int) or value not in SEVERITY_IDS:
            raise ValidationError(
                _("重大度「%(word)s」の値は 0〜6 の整数にしてください。") % {"word": word}
            )
        cleaned[str(word).strip().lower()] = value
    return cleaned


@transaction.atomic
def device_save(
    *,
    principal: Actor,
    prefecture: Organisation,
    name: str,
    format: str = LogFormat.AUTO,
    description: str = "",
    severity_map: Mapping[str, object] | None = None,
) -> Device:
    """Register a device of the prefecture's cloud, or change its format and severity map."""
    require_operator(principal, prefecture)
    name = name.strip()
    if not name:
        raise ValidationError(_("機器名を入力してください。"))
    if format != LogFormat.AUTO and format not in FORMATS:
        raise ValidationError(_("ログの形式が正しくありません: %(f)s") % {"f": format})
    device, _created = Device.objects.unscoped("the operator was checked above").update_or_create(
        prefecture=prefecture,
        name=name,
        defaults={
            "format": format,
            "description": description.strip(),
            "severity_map": _severity_map(severity_map or {}),
            "registered_by_ingest": False,
        },
    )
    audit(principal, "seccloud.device.save", organisation=prefecture, target=f"device:{device.pk}")
    return device


def _range_row(
    values: Mapping[str, str], line: int, allowed: Mapping[str, Organisation], errors: RowErrors
) -> AddressRange | None:
    organisation = allowed.get(values["organisation"])
    if organisation is None:
        errors.add(
            line,
            _("団体コード「%(c)s」は取り込めません（管内の団体ではありません）。")
            % {"c": values["organisation"]},
        )
        return None
    try:
        network = ipaddress.ip_network(values["cidr"], strict=True)
    except ValueError:
        errors.add(
            line,
            _("アドレス範囲「%(v)s」が正しくありません（例: 192.0.2.0/24）。")
            % {"v": values["cidr"]},
        )
        return None
    if not isinstance(network, ipaddress.IPv4Network):
        errors.add(line, _("IPv6 のアドレス範囲はまだ扱えません。"))
        return None
    days: list[date | None] = []
    for column in ("valid_from", "valid_to"):
        text = values.get(column, "")
        try:
            days.append(date.fromisoformat(text) if text else None)
        except ValueError:
            errors.add(line, _("日付「%(v)s」は YYYY-MM-DD で書いてください。") % {"v": text})
            return None
    if days[0] and days[1] and days[0] > days[1]:
        errors.add(line, _("有効期間の始めが終わりより後になっています。"))
        return None
    return AddressRange(
        organisation=organisation,
        prefecture_code=organisation.prefecture_code,
        cidr=str(network),
        valid_from=days[0],
        valid_to=days[1],
    )


def _importable(principal: Actor) -> dict[str, Organisation]:
    """Codes whose ranges the principal may import: its prefecture and municipalities."""
    local = Organisation.objects.unscoped("the importer's own prefecture, checked below")
    kinds = [*MUNICIPAL_KINDS, OrganisationKind.PREFECTURE]
    if is_system(principal):
        return {o.code: o for o in local.filter(kind__in=kinds)}
    prefecture: Organisation = principal.organisation  # type: ignore[union-attr]
    require_operator(principal, prefecture)
    found = local.filter(kind__in=kinds, prefecture_code=prefecture.prefecture_code)
    return {o.code: o for o in found}


@transaction.atomic
def ranges_import(*, principal: Actor, data: bytes, filename: str = "ranges.csv") -> int:
    """Replace the ranges of every organisation named in the file (header
    ``organisation,cidr,valid_from,valid_to``; empty dates are open-ended). All or nothing:
    one wrong row and nothing is saved; the errors name their lines in Japanese."""
    try:
        rows = read_rows(data, filename=filename, required=RANGE_COLUMNS)
    except TableError as error:
        raise ValidationError(str(error)) from error
    allowed = _importable(principal)
    errors = RowErrors()
    ranges = [r for row in rows if (r := _range_row(row.values, row.line, allowed, errors))]
    if errors:
        raise ValidationError(errors.errors)
    if not ranges:
        raise ValidationError(_("取り込む行がありません。"))
    codes = {r.organisation.code for r in ranges}
    AddressRange.objects.unscoped("replacing the ranges the importer was allowed above").filter(
        organisation__code__in=codes
    ).delete()
    AddressRange.objects.bulk_create(ranges)
    for prefecture_code in sorted({r.prefecture_code for r in ranges}):
        audit(
            principal,
            "seccloud.ranges.import",
            organisation=None if is_system(principal) else principal.organisation,  # type: ignore[union-attr]
            target=f"pref:{prefecture_code}",
            details={"rows": sum(r.prefecture_code == prefecture_code for r in ranges)},
        )
    return len(ranges)


def rules_sync(*, prefecture: Organisation) -> list[DetectionRule]:
    """The prefecture's rows for the shipped rules (new rules start enabled)."""
    rows = []
    for rule in load_rules():
        row, _created = DetectionRule.objects.unscoped(
            "the prefecture's copy of the shipped rules; callers checked the principal"
        ).get_or_create(
            prefecture=prefecture,
            rule_id=rule.rule_id,
            defaults={"title": rule.title, "level": rule.level},
        )
        rows.append(row)
    return rows


@transaction.atomic
def rule_set_enabled(*, principal: Actor, rule: DetectionRule, enabled: bool) -> DetectionRule:
    """Run a rule on the prefecture's logs, or stop running it."""
    require_operator(principal, rule.prefecture)
    rule.enabled = enabled
    rule.save(update_fields=["enabled"])
    audit(
        principal,
        "seccloud.rule.update",
        organisation=rule.prefecture,
        target=f"rule:{rule.rule_id}",
        details={"enabled": enabled},
    )
    return rule


@transaction.atomic
def bad_destinations_import(
    *, principal: Actor, prefecture: Organisation, addresses: Sequence[str], note: str = ""
) -> int:
    """Replace the prefecture's known-bad destinations (IPv4 addresses, one per entry)."""
    require_operator(principal, prefecture)
    clean: set[str] = set()
    for n, text in enumerate(addresses, start=1):
        try:
            clean.add(str(ipaddress.IPv4Address(text.strip())))
        except ValueError as error:
            raise ValidationError(
                _("%(n)d行目: アドレス「%(v)s」が正しくありません。") % {"n": n, "v": text}
            ) from error
    BadDestination.objects.unscoped("the operator was checked above").filter(
        prefecture=prefecture
    ).delete()
    BadDestination.objects.bulk_create(
        BadDestination(prefecture=prefecture, address=a, note=note) for a in sorted(clean)
    )
    audit(
        principal,
        "seccloud.bad_destinations.import",
        organisation=prefecture,
        details={"count": len(clean)},
    )
    return len(clean)


@transaction.atomic
def schedule_save(
    *, principal: Actor, prefecture: Organisation, day_of_month: int, enabled: bool = True
) -> ReportSchedule:
    """When the scheduler makes last month's report (a day from 1 to 28)."""
    require_operator(principal, prefecture)
    if not 1 <= day_of_month <= 28:
        raise ValidationError(_("作成する日は 1〜28 日にしてください。"))
    schedule, _created = ReportSchedule.objects.unscoped(
        "the operator was checked above"
    ).update_or_create(
        prefecture=prefecture, defaults={"day_of_month": day_of_month, "enabled": enabled}
    )
    audit(principal, "seccloud.schedule.save", organisation=prefecture)
    return schedule
