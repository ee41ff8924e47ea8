"""Exposure alerts: when the vulnerability database gains a KEV entry or an advisory, the
organisations whose services match are told at once, and so is their prefecture —
nobody else.

``vulns`` sends ``vulnerabilities_added`` after an import commits; ``receivers`` enqueues
``tasks.raise_exposure_alerts`` on commit, which calls ``exposure_alerts_raise``. For
each vulnerability the national exposure query runs once (``vulns.selectors``), each
affected service gets its finding (created or updated under its stable key), each
exposed organisation gets one alert listing its affected assets and what to do first,
and each person of the organisation and of its prefecture who reads attack-surface data
gets a notice in the platform and an e-mail that carries no detail (no address, no
product, no vulnerability: the mail says where to look, the gate decides what is shown).

An advisory that is not in KEV alerts only when its priority is high or urgent; its
finding is stored either way.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamoru.asm.engine.model import Evidence
from mamoru.asm.engine.model import Finding as EngineFinding
from mamoru.asm.engine.model import Service as EngineService
from mamoru.asm.models import AlertNotice, ExposureAlert, Service
from mamoru.asm.services.exposure import exposure_refresh_many
from mamoru.asm.services.results import findings_store
from mamoru.asm.vulnerabilities import finding_for
from mamoru.core.access import Permission
from mamoru.orgs.models import Organisation, OrganisationKind
from mamoru.orgs.principal import Principal, audit
from mamoru.orgs.selectors import people_acting_in
from mamoru.vulns.matching import Matcher, VulnerabilityMatch
from mamoru.vulns.selectors import Exposure, exposures_for_vulnerability

logger = logging.getLogger("mamoru.asm.alerts")
ALERT_LEVEL = 2  # an advisory alerts at priority 2 (high) or 1 (urgent)


def _engine_service(row: Service) -> EngineService:
    return EngineService(
        ip=row.ip,
        port=row.port,
        service=row.service,
        transport=row.transport,
        product=row.product or None,
        vendor=row.vendor or None,
        version=row.version or None,
        cpe=row.cpe or None,
        hostname=row.hostname or None,
        extra=dict(row.extra),
        evidence=tuple(Evidence(**e) for e in row.evidence),
    )


def _match(
    matcher: Matcher, service: EngineService, vulnerability_id: str
) -> VulnerabilityMatch | None:
    return next((m for m in matcher.match(service) if m.vulnerability_id == vulnerability_id), None)


def _prefectures() -> dict[str, Organisation]:
    return {
        o.prefecture_code: o
        for o in Organisation.objects.unscoped("the prefectures, to tell them").filter(
            kind=OrganisationKind.PREFECTURE
        )
    }


def _affected(services: Sequence[Service]) -> list[dict[str, Any]]:
    return [
        {
            "service": s.pk,
            "where": f"{s.hostname or s.ip}:{s.port}",
            "product": s.product_label,
            "asset": s.asset.value if s.asset else "",
        }
        for s in services
    ]


class _People(dict[int, list[Any]]):
    """Who reads attack-surface data in each organisation, looked up once per run (a
    prefecture is told about each of its exposed municipalities)."""

    def of(self, organisation: Organisation) -> list[Any]:
        if organisation.pk not in self:
            self[organisation.pk] = people_acting_in(
                organisation=organisation, permission=Permission.DATA_VIEW
            )
        return self[organisation.pk]


def _notify(
    alert: ExposureAlert, organisations: Iterable[Organisation], renew: bool, people: _People
) -> list[int]:
    notices = [
        AlertNotice(alert=alert, organisation=org, user=user, email_wanted=bool(user.email))
        for org in organisations
        for user in people.of(org)
    ]
    if renew:  # the alert became more urgent (an advisory now in KEV): tell them again
        AlertNotice.objects.unscoped(
            "exposure alerts: the system matches a new vulnerability against the nation"
        ).filter(alert=alert).delete()
    AlertNotice.objects.bulk_create(notices, ignore_conflicts=True)
    return list(
        AlertNotice.objects.unscoped(
            "exposure alerts: the system matches a new vulnerability against the nation"
        )
        .filter(alert=alert, email_wanted=True, emailed_at__isnull=True)
        .values_list("pk", flat=True)
    )


def _alert_for(
    organisation: Organisation,
    vulnerability_id: str,
    match: VulnerabilityMatch,
    services: Sequence[Service],
    kev: bool,
) -> tuple[ExposureAlert, bool]:
    """The organisation's alert for this vulnerability; whether people must be told."""
    values = {
        "source": ExposureAlert.Source.KEV if kev else ExposureAlert.Source.ADVISORY,
        "kev": kev,
        "ransomware": match.priority.ransomware,
        "title": match.title_ja[:500],
        "first_action": match.action_ja,
        "affected": _affected(services),
    }
    alert = (
        ExposureAlert.objects.unscoped(
            "exposure alerts: the system matches a new vulnerability against the nation"
        )
        .filter(organisation=organisation, vulnerability_id=vulnerability_id)
        .first()
    )
    if alert is None:
        alert = ExposureAlert.objects.create(
            organisation=organisation, vulnerability_id=vulnerability_id, **values
        )
        return alert, True
    became_kev = kev and not alert.kev
    for name, value in values.items():
        setattr(alert, name, value)
    if became_kev:
        alert.created_at = timezone.now()
    alert.save()
    return alert, became_kev


def _organisation_alert(
    organisation: Organisation,
    *,
    vulnerability_id: str,
    rows: Sequence[Service],
    matcher: Matcher,
    kev: bool,
    prefectures: dict[str, Organisation],
    people: _People,
) -> list[int]:
    found: list[tuple[int | None, EngineFinding]] = []
    matched: list[Service] = []
    first: VulnerabilityMatch | None = None
    for row in rows:
        match = _match(matcher, _engine_service(row), vulnerability_id)
        if match is None:
            continue
        first = first or match
        matched.append(row)
        found.append((row.asset_id, finding_for(_engine_service(row), match)))
    if first is None:
        return []
    findings_store(organisation=organisation, scan=None, found=found,
                   services={(s.ip, s.port): s for s in matched})  # fmt: skip
    if not kev and first.priority.level > ALERT_LEVEL:
        return []
    alert, tell = _alert_for(organisation, vulnerability_id, first, matched, kev)
    if not tell:
        return []
    told = {organisation.pk: organisation}
    prefecture = prefectures.get(organisation.prefecture_code)
    if prefecture is not None:
        told.setdefault(prefecture.pk, prefecture)
    return _notify(alert, told.values(), renew=kev, people=people)


def _services_by_organisation(exposures: Sequence[Exposure]) -> dict[int, list[Service]]:
    grouped: dict[int, list[Service]] = defaultdict(list)
    for row in (
        Service.objects.unscoped(
            "exposure alerts: the system matches a new vulnerability against the nation"
        )
        .filter(observed_id__in=[e.service_id for e in exposures], present=True)
        .select_related("asset")
        .order_by("organisation_id", "ip", "port")
    ):
        grouped[row.organisation_id].append(row)
    return grouped


def exposure_alerts_raise(*, kev_ids: Sequence[str], vulnerability_ids: Sequence[str]) -> int:
    """Alert every organisation exposed to these new KEV entries and advisories, and its
    prefecture; the number of alerts raised or renewed. Idempotent: an organisation is
    alerted once per vulnerability (again only when an advisory turns KEV)."""
    from mamoru.vulns.models import KevEntry

    in_kev = set(KevEntry.objects.filter(cve_id__in=[*kev_ids, *vulnerability_ids]).values_list(
        "cve_id", flat=True))  # fmt: skip
    matcher, prefectures, people = Matcher(), _prefectures(), _People()
    emails: list[int] = []
    touched: dict[int, Organisation] = {}
    raised = 0
    for vulnerability_id in dict.fromkeys([*kev_ids, *vulnerability_ids]):
        exposures = exposures_for_vulnerability(vulnerability_id=vulnerability_id, matcher=matcher)
        if not exposures:
            continue
        grouped = _services_by_organisation(exposures)
        organisations = Organisation.objects.unscoped(
            "exposure alerts: the system matches a new vulnerability against the nation"
        ).in_bulk(list(grouped))
        with transaction.atomic():
            for organisation_id, rows in grouped.items():
                ids = _organisation_alert(
                    organisations[organisation_id],
                    vulnerability_id=vulnerability_id,
                    rows=rows,
                    matcher=matcher,
                    kev=vulnerability_id in in_kev,
                    prefectures=prefectures,
                    people=people,
                )  # fmt: skip
                raised += bool(ids)
                emails += ids
                touched[organisation_id] = organisations[organisation_id]
    if touched:
        transaction.on_commit(lambda: exposure_refresh_many(touched.values()))
    if emails:
        transaction.on_commit(lambda: _enqueue_emails(emails))
    logger.info(
        "exposure alerts: %d raised for %d vulnerabilities",
        raised,
        len(kev_ids) + len(vulnerability_ids),
    )
    return raised


def _enqueue_emails(ids: list[int]) -> None:
    from mamoru.asm.tasks import send_alert_emails

    send_alert_emails.enqueue(ids)


_SUBJECT = gettext_lazy("【mamoru】至急：インターネットに公開している機器の確認をお願いします")
_BODY = gettext_lazy(
    "%(organisation)s ご担当者様\n\n"
    "mamoru の攻撃対象領域の診断で、%(whose)sの機器が、新たに分かった脆弱性に該当する可能性が"
    "あることが分かりました。\n"
    "内容と、最初にすべきことは、mamoru にログインして確認してください。\n\n"
    "%(url)s\n\n"
    "このメールには、機器や脆弱性の詳細を記載していません。心当たりがない場合は、"
    "団体の管理者に連絡してください。\n"
    "-- \nmamoru（自治体サイバーセキュリティ支援基盤）\n"
)


def alert_emails_send(*, ids: Sequence[int]) -> int:
    """Send the e-mails of these notices once each (claimed by a conditional UPDATE)."""
    from django.core.mail import send_mail

    sent = 0
    notices = AlertNotice.objects.unscoped("the e-mail task: each goes to its own person")
    for notice in notices.filter(
        pk__in=list(ids), email_wanted=True, emailed_at__isnull=True
    ).select_related("user", "organisation", "alert__organisation"):
        if not notices.filter(pk=notice.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        ):
            continue
        own = notice.organisation_id == notice.alert.organisation_id
        body = str(_BODY) % {
            "organisation": notice.organisation.name,
            "whose": _("貴団体")
            if own
            else _("域内の団体（%(name)s）") % {"name": notice.alert.organisation.name},
            "url": settings.SITE_URL.rstrip("/") + reverse("asm:alert", args=[notice.alert_id]),
        }
        send_mail(str(_SUBJECT), body, None, [notice.user.email])
        sent += 1
    return sent


@transaction.atomic
def alert_notice_read(*, principal: Principal, notice: AlertNotice) -> AlertNotice:
    """Mark one of the principal's own notices read (idempotent)."""
    if notice.user_id != principal.user.pk or notice.organisation_id != principal.organisation.pk:
        raise PermissionDenied(_("この通知を操作する権限がありません。"))
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
        audit(principal, "asm.notice.read", target=f"alert:{notice.alert_id}")
    return notice
