"""Alerts: computed by the engine's rules per (rule, source, municipality, day), upserted
here, told to the prefecture's operators and the municipality concerned, and worked
through open → acknowledged → closed with a note."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.core.access import Permission
from mamoru.core.exceptions import StateConflict
from mamoru.incidents.models import NotificationKind
from mamoru.incidents.services import notify_organisation
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Actor, audit, require
from mamoru.seccloud import engine
from mamoru.seccloud.models import Alert, AlertStatus, BadDestination
from mamoru.seccloud.services.common import engine_config, is_system, store_root
from mamoru.seccloud.services.control import rules_sync

KNOWN_BAD_LIST = "known_bad_destinations"


def _enabled_rules(prefecture: Organisation) -> list[engine.Rule]:
    rows = {r.rule_id: r for r in rules_sync(prefecture=prefecture)}
    return [rule for rule in engine.load_rules() if rows[rule.rule_id].enabled]


def _notify(alert: Alert) -> None:
    """Tell the prefecture's operators and the municipality concerned (once per alert)."""
    link = reverse("seccloud:alert", args=[alert.pk])
    text = _("セキュリティクラウドのアラート: %(title)s（%(source)s、%(day)s、%(n)d件）") % {
        "title": alert.title,
        "source": alert.source,
        "day": f"{alert.day:%Y-%m-%d}",
        "n": alert.events,
    }
    for organisation in {alert.prefecture, alert.organisation}:
        notify_organisation(
            organisation=organisation, kind=NotificationKind.MESSAGE, text=text, link=link,
            email=alert.high, key=f"seccloud-alert:{alert.pk}",
        )  # fmt: skip


def detect_days(*, prefecture: Organisation, days: Sequence[date]) -> list[Alert]:
    """Run the prefecture's enabled rules over ``days`` and upsert the alerts (new ones are
    notified; an alert already worked on keeps its state, its counts are refreshed)."""
    known = list(
        BadDestination.objects.unscoped("the known-bad list of the prefecture being checked")
        .filter(prefecture=prefecture)
        .values_list("address", flat=True)
    )
    found = engine.detect(
        store=store_root(), prefecture=prefecture.prefecture_code, days=days,
        rules=_enabled_rules(prefecture), known_bad={KNOWN_BAD_LIST: known},
        config=engine_config(),
    )  # fmt: skip
    codes = {a.organisation for a in found if a.organisation}
    organisations = {
        o.code: o
        for o in Organisation.objects.unscoped(
            "municipalities named by the engine's alerts"
        ).filter(code__in=codes, prefecture_code=prefecture.prefecture_code)
    }
    alerts = []
    for item in found:
        owner = organisations.get(item.organisation or "", prefecture)
        with transaction.atomic():
            alert, created = Alert.objects.unscoped(
                "alerts are written by the detection task for the prefecture"
            ).update_or_create(
                rule_id=item.rule_id, source=item.source[:64], organisation=owner, day=item.day,
                defaults={
                    "prefecture": prefecture, "title": item.title[:200], "level": item.level,
                    "severity_id": item.severity_id, "first_seen": item.first_seen,
                    "last_seen": item.last_seen, "events": item.events,
                },
            )  # fmt: skip
            if created:
                transaction.on_commit(lambda a=alert: _notify(a))  # type: ignore[misc]
        alerts.append(alert)
    return alerts


def _may_work_on(principal: Actor, alert: Alert) -> None:
    """The prefecture's operators and the municipality concerned (editors) work on it."""
    if is_system(principal):
        return
    acting = principal.organisation  # type: ignore[union-attr]
    if acting.pk not in {alert.prefecture_id, alert.organisation_id}:
        raise PermissionDenied(_("このアラートを操作する権限がありません。"))
    require(principal, Permission.DATA_EDIT)


@transaction.atomic
def alert_acknowledge(*, principal: Actor, alert: Alert, note: str = "") -> Alert:
    """Say that someone is looking at the alert (open → acknowledged)."""
    _may_work_on(principal, alert)
    if alert.status != AlertStatus.OPEN:
        raise StateConflict(_("このアラートはすでに確認済みか対応完了です。"))
    alert.status, alert.acknowledged_at = AlertStatus.ACKNOWLEDGED, timezone.now()
    alert.acknowledged_by = None if is_system(principal) else principal.user  # type: ignore[union-attr]
    if note.strip():
        alert.note = note.strip()
    alert.save()
    audit(principal, "seccloud.alert.acknowledge", target=f"alert:{alert.pk}")
    return alert


@transaction.atomic
def alert_close(*, principal: Actor, alert: Alert, note: str) -> Alert:
    """Close the alert with a note of what was found and done (required)."""
    _may_work_on(principal, alert)
    if alert.status == AlertStatus.CLOSED:
        raise StateConflict(_("このアラートはすでに対応完了です。"))
    if not note.strip():
        raise ValidationError(_("対応の記録を書いてください（何を確認し、どう対処したか）。"))
    now = timezone.now()
    if alert.acknowledged_at is None:
        alert.acknowledged_at = now
    alert.status, alert.closed_at, alert.note = AlertStatus.CLOSED, now, note.strip()
    alert.closed_by = None if is_system(principal) else principal.user  # type: ignore[union-attr]
    alert.save()
    audit(principal, "seccloud.alert.close", target=f"alert:{alert.pk}")
    return alert
