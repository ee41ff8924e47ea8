"""Reads of exposure alerts: a person's own notices, and an alert itself (through the gate:
the exposed organisation, its prefecture and the nation read it; nobody else)."""

from __future__ import annotations

from django.db.models import QuerySet

from mamoru.asm.models import AlertNotice, ExposureAlert
from mamoru.asm.selectors.records import readable
from mamoru.audit.reads import audited_read
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import organisation_acting


def notices_of(*, principal: Principal, unread: bool = False) -> QuerySet[AlertNotice]:
    """The principal's own notices in the organisation it acts for, newest first."""
    rows = AlertNotice.objects.within(organisation_acting(principal=principal)).filter(
        user=principal.user
    )
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return rows.select_related("alert", "alert__organisation").order_by("-created_at", "-pk")


def notice_for(*, principal: Principal, alert: ExposureAlert) -> AlertNotice | None:
    return notices_of(principal=principal).filter(alert=alert).first()


@audited_read("asm.alert.read", target=lambda args: f"alert:{args.get('pk')}")
def alert_get(*, principal: Principal, pk: int) -> ExposureAlert:
    return (
        ExposureAlert.objects.within(readable(principal))
        .select_related("organisation", "organisation__parent")
        .get(pk=pk)
    )


def alerts_of(*, principal: Principal, organisation: Organisation) -> QuerySet[ExposureAlert]:
    return (
        ExposureAlert.objects.within(readable(principal))
        .filter(organisation=organisation)
        .order_by("-created_at", "-pk")
    )
