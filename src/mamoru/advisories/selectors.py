"""Reads of the advisories app, each from the access gate: what reached the principal's
organisation, what it sent with the answers per prefecture, what its municipalities
answered, what was shared back, and the STIX objects TAXII serves."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import Count, F, Q, QuerySet

from mamoru.advisories.models import Advisory, AdvisoryDelivery, Answer, ShareAttachment, ShareBack
from mamoru.advisories.stix import StixObject, objects_for
from mamoru.audit.reads import audited_read
from mamoru.orgs.models import Organisation, OrganisationKind
from mamoru.orgs.policy import DataKind, Supervisor
from mamoru.orgs.principal import Principal
from mamoru.orgs.selectors import (
    organisation_list,
    organisations_addressable,
    organisations_readable,
)


def _readable(principal: Principal, kind: DataKind = DataKind.ADVISORIES) -> QuerySet[Organisation]:
    return organisations_readable(principal=principal, kind=kind)


def advisories_visible(*, principal: Principal) -> QuerySet[Advisory]:
    """Advisories the principal's organisation sent or received, and those sent to the
    organisations it supervises (a prefecture follows up its municipalities)."""
    readable = _readable(principal)
    addressable = organisations_addressable(principal=principal, kind=DataKind.ADVISORIES)
    supervised = AdvisoryDelivery.objects.within(readable).values("advisory_id")
    return (
        Advisory.objects.within(readable)
        | Advisory.objects.addressed_to(addressable)
        | Advisory.objects.unscoped(
            "narrowed to advisories delivered to organisations the gate lets the principal read"
        ).filter(pk__in=supervised)
    ).distinct()


def advisories_received(*, principal: Principal) -> QuerySet[AdvisoryDelivery]:
    """The advisories that reached the principal's organisation: unanswered first."""
    return (
        AdvisoryDelivery.objects.within(_readable(principal))
        .filter(organisation=principal.organisation)
        .select_related("advisory__sender")
        .order_by(
            F("acknowledged_at").asc(nulls_first=True),
            F("answered_at").asc(nulls_first=True),
            "-advisory__published_at",
        )
    )


def advisories_sent(*, principal: Principal) -> QuerySet[Advisory]:
    """The advisories the principal's organisation sent, with their answer counts."""
    return (
        Advisory.objects.within(_readable(principal))
        .filter(sender=principal.organisation)
        .annotate(
            recipients=Count("deliveries"),
            acknowledged=Count("deliveries", filter=Q(deliveries__acknowledged_at__isnull=False)),
            affected=Count("deliveries", filter=Q(deliveries__answer=Answer.AFFECTED)),
        )
        .order_by("-published_at", "-pk")
    )


@dataclass(frozen=True)
class AdvisoryView:
    advisory: Advisory
    delivery: AdvisoryDelivery | None  # the principal's organisation's copy
    is_sender: bool


def advisory_get(*, principal: Principal, public_id: UUID | str) -> AdvisoryView:
    """One visible advisory with the principal's own copy; ``DoesNotExist`` otherwise."""
    advisory = (
        advisories_visible(principal=principal).select_related("sender").get(public_id=public_id)
    )
    delivery = (
        AdvisoryDelivery.objects.within(_readable(principal))
        .filter(advisory=advisory, organisation=principal.organisation)
        .first()
    )
    return AdvisoryView(advisory, delivery, advisory.sender_id == principal.organisation.pk)


def advisory_deliveries(
    *, principal: Principal, advisory: Advisory, prefecture_code: str = ""
) -> QuerySet[AdvisoryDelivery]:
    """The recipients the principal may follow up (all for the sender, its municipalities
    for a prefecture), unanswered first; the principal's own copy is left out."""
    found = (
        AdvisoryDelivery.objects.within(_readable(principal))
        .filter(advisory=advisory)
        .exclude(organisation=principal.organisation)
        .select_related("organisation")
        .order_by(F("answered_at").asc(nulls_first=True), "organisation__code")
    )
    if prefecture_code:
        found = found.filter(organisation__prefecture_code=prefecture_code)
    return found


@dataclass(frozen=True)
class PrefectureState:
    code: str  # the prefecture's organisation code
    name: str
    prefecture_code: str
    recipients: int
    acknowledged: int
    affected: int
    not_affected: int
    fixed: int

    @property
    def unanswered(self) -> int:
        return self.recipients - self.affected - self.not_affected - self.fixed


@audited_read("advisories.state.read", target=lambda a: f"advisory:{a['advisory'].public_id}")
def advisory_state(*, principal: Principal, advisory: Advisory) -> list[PrefectureState]:
    """Per prefecture, how many recipients acknowledged and answered what (one query)."""
    rows = (
        advisory_deliveries(principal=principal, advisory=advisory)
        .order_by()
        .values("organisation__prefecture_code")
        .annotate(
            recipients=Count("pk"),
            acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
            affected=Count("pk", filter=Q(answer=Answer.AFFECTED)),
            not_affected=Count("pk", filter=Q(answer=Answer.NOT_AFFECTED)),
            fixed=Count("pk", filter=Q(answer=Answer.FIXED)),
        )
    )
    prefectures = {
        p.prefecture_code: p for p in organisation_list(kind=OrganisationKind.PREFECTURE)
    }
    states = []
    for row in rows:
        code = row["organisation__prefecture_code"]
        prefecture = prefectures.get(code)
        states.append(
            PrefectureState(
                code=prefecture.code if prefecture else "",
                name=prefecture.name if prefecture else "—",
                prefecture_code=code,
                recipients=row["recipients"],
                acknowledged=row["acknowledged"],
                affected=row["affected"],
                not_affected=row["not_affected"],
                fixed=row["fixed"],
            )
        )
    return sorted(states, key=lambda s: s.prefecture_code)


def _shares(principal: Principal) -> QuerySet[ShareBack]:
    found = ShareBack.objects.within(_readable(principal, DataKind.SHARING))
    if principal.supervisor == Supervisor.NATION:
        found = found.filter(Q(to_nation=True) | Q(organisation=principal.organisation))
    return found


def shares_visible(*, principal: Principal) -> QuerySet[ShareBack]:
    """What the principal's organisation shared, and what its municipalities shared with it
    (for the nation: what was shared with the nation)."""
    return _shares(principal).select_related("organisation").order_by("-created_at", "-pk")


@audited_read("advisories.share.read", target=lambda a: f"share:{a.get('public_id')}")
def share_get(*, principal: Principal, public_id: UUID | str) -> ShareBack:
    """One visible share-back; ``DoesNotExist`` otherwise. Audited."""
    return _shares(principal).select_related("organisation").get(public_id=public_id)


def share_attachments(*, principal: Principal, share: ShareBack) -> QuerySet[ShareAttachment]:
    return (
        ShareAttachment.objects.within(_readable(principal, DataKind.SHARING))
        .filter(share=share)
        .defer("data")
        .order_by("pk")
    )


@audited_read("advisories.attachment.read", target=lambda a: f"share-attachment:{a.get('pk')}")
def share_attachment_get(
    *, principal: Principal, public_id: UUID | str, pk: int
) -> ShareAttachment:
    share = _shares(principal).get(public_id=public_id)
    return ShareAttachment.objects.within(_readable(principal, DataKind.SHARING)).get(
        share=share, pk=pk
    )


@dataclass(frozen=True)
class TaxiiObject:
    """A STIX object as a TAXII collection holds it."""

    date_added: datetime
    version: str  # its ``modified`` (or ``created``)
    object: StixObject


def _version(obj: Mapping[str, Any]) -> str:
    return str(obj.get("modified") or obj.get("created") or "1970-01-01T00:00:00.000Z")


@audited_read("advisories.taxii.read", target=lambda a: "taxii:advisories")
def taxii_objects(*, principal: Principal) -> list[TaxiiObject]:
    """Every STIX object of the advisories the principal may read, each once, in the
    order they were added (an object shared by several advisories counts from the first)."""
    advisories = (
        advisories_visible(principal=principal)
        .select_related("sender")
        .order_by("published_at", "pk")
    )
    found: dict[str, TaxiiObject] = {}
    for advisory in advisories:
        for obj in objects_for(advisory):
            found.setdefault(obj["id"], TaxiiObject(advisory.published_at, _version(obj), obj))
    return sorted(found.values(), key=lambda o: (o.date_added, o.object["id"]))


@audited_read("advisories.advisory.export", target=lambda a: f"advisory:{a.get('public_id')}")
def advisory_exports(*, principal: Principal, public_id: UUID | str) -> Advisory:
    """An advisory for export (STIX, MISP): the same gate as :func:`advisory_get`. Audited:
    an export leaves the platform."""
    return advisory_get(principal=principal, public_id=public_id).advisory
