"""Writes of the advisories app: the nation publishes (or imports from STIX) an advisory
that reaches an audience or — with the attack-surface diagnosis — the organisations that
expose an affected product; each recipient acknowledges and answers; organisations share
back what they saw. Each service checks the acting principal, is atomic and audited."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.advisories import targeting
from mamoru.advisories.content import AdvisoryContent
from mamoru.advisories.models import (
    Advisory,
    AdvisoryDelivery,
    Answer,
    ShareAttachment,
    ShareBack,
    ShareKind,
    Targeting,
    Tlp,
)
from mamoru.advisories.stix import BundleError, contents_from_bundle
from mamoru.core.access import Permission
from mamoru.core.exceptions import StateConflict
from mamoru.orgs.models import LOCAL_GOVERNMENT_KINDS, Organisation, OrganisationKind
from mamoru.orgs.principal import Principal, audit, require
from mamoru.orgs.selectors import organisation_list
from mamoru.progress.attachments import (
    EVIDENCE_EXTENSIONS,
    MAX_ATTACHMENTS,
    Upload,
    attachment_fields,
)
from mamoru.progress.audience import (
    Audience,
    audience_clean,
    audience_label,
    audience_organisations,
)

RETARGET_DAYS = 90
INDICATORS_MAX = 500


def _check_sender(principal: Principal) -> Organisation:
    require(principal, Permission.DATA_EDIT)
    if principal.organisation.kind != OrganisationKind.NATIONAL:
        raise PermissionDenied(_("注意喚起を発出できるのは国の担当者です。"))
    return principal.organisation


def _fields(content: AdvisoryContent) -> dict[str, object]:
    return {
        "title": content.title.strip(),
        "summary": content.summary,
        "threat": content.threat,
        "attacker": content.attacker,
        "purpose": content.purpose,
        "background": content.background,
        "expected_damage": content.expected_damage,
        "actions_first": content.actions_first,
        "actions_later": content.actions_later,
        "urgency": content.urgency,
        "importance": content.importance,
        "tlp": content.tlp,
        "products": [p.to_dict() for p in content.products],
        "cves": list(dict.fromkeys(content.cves)),
        "sources": [{"name": s.name, "url": s.url} for s in content.sources],
    }


def _exposed(advisory: Advisory) -> set[int]:
    """Local governments that expose an affected product (the ASM app says which)."""
    from mamoru.advisories.products import AffectedProduct

    source = targeting.exposure_source()
    if source is None:
        return set()
    products = [AffectedProduct.from_dict(p) for p in advisory.products]
    found = set(source(products=products))
    return set(
        organisation_list()
        .filter(pk__in=found, kind__in=LOCAL_GOVERNMENT_KINDS)
        .values_list("pk", flat=True)
    )


def _deliver(advisory: Advisory, organisations: Iterable[int], *, matched: bool) -> int:
    """Deliver to every organisation not yet delivered to (idempotent)."""
    done = set(
        AdvisoryDelivery.objects.unscoped("the service delivers the advisory it checked")
        .filter(advisory=advisory)
        .values_list("organisation_id", flat=True)
    )
    new = [
        AdvisoryDelivery(advisory=advisory, organisation_id=pk, matched=matched)
        for pk in sorted(set(organisations) - done)
    ]
    AdvisoryDelivery.objects.bulk_create(new, batch_size=1000)
    return len(new)


@transaction.atomic
def advisory_publish(
    *,
    principal: Principal,
    content: AdvisoryContent,
    audience: Audience | None = None,
    by_exposure: bool = False,
    stix_id: str = "",
    imported: bool = False,
) -> Advisory:
    """Publish an advisory from the nation to ``audience``, or — ``by_exposure`` — to the
    organisations the attack-surface diagnosis finds exposing an affected product."""
    sender = _check_sender(principal)
    errors = content.errors()
    if by_exposure and targeting.exposure_source() is None:
        errors["targeting"] = [
            _("攻撃対象領域の診断の情報がまだないため、宛先を指定して発出してください。")
        ]
    if by_exposure and not content.products:
        errors["products"] = [_("診断で宛先を決めるには、影響を受ける製品を書いてください。")]
    if not by_exposure and audience is None:
        errors["audience"] = [_("宛先を選んでください。")]
    if errors:
        raise ValidationError(errors)
    cleaned = None if audience is None else audience_clean(audience, sender=sender)
    advisory = Advisory.objects.create(
        stix_id=stix_id or f"report--{uuid.uuid4()}",
        sender=sender,
        targeting=Targeting.EXPOSURE if by_exposure else Targeting.AUDIENCE,
        audience=cleaned.to_dict() if cleaned else {},
        audience_label=audience_label(cleaned, sender=sender)[:300] if cleaned else "",
        imported=imported,
        created_by=principal.user,
        **_fields(content),
    )
    if by_exposure:
        delivered = _deliver(advisory, _exposed(advisory), matched=True)
    else:
        assert cleaned is not None
        recipients = audience_organisations(cleaned, sender=sender).values_list("pk", flat=True)
        delivered = _deliver(advisory, recipients, matched=False)
    audit(
        principal,
        "advisories.advisory.publish",
        target=f"advisory:{advisory.public_id}",
        details={"recipients": delivered, "targeting": advisory.targeting, "tlp": advisory.tlp},
    )
    return advisory


@transaction.atomic
def advisory_import(*, principal: Principal, data: bytes, audience: Audience) -> list[Advisory]:
    """Import the reports of a STIX 2.1 bundle as advisories to ``audience``. A report
    imported before is updated when the bundle's version is newer (its recipients stay);
    the same version again is refused."""
    _check_sender(principal)
    try:
        imported = contents_from_bundle(data)
    except BundleError as error:
        raise ValidationError({"file": [str(error)]}) from error
    advisories = []
    for item in imported:
        existing = (
            Advisory.objects.unscoped("the service checked the principal")
            .filter(stix_id=item.stix_id)
            .first()
        )
        if existing is None:
            advisory = advisory_publish(
                principal=principal,
                content=item.content,
                audience=audience,
                stix_id=item.stix_id,
                imported=True,
            )
            advisory.stix_modified = item.modified
            advisory.save(update_fields=["stix_modified"])
        elif item.modified > existing.stix_modified:
            errors = item.content.errors()
            if errors:
                raise ValidationError(errors)
            for name, value in _fields(item.content).items():
                setattr(existing, name, value)
            existing.stix_modified = item.modified
            existing.save()
            advisory = existing
        else:
            raise StateConflict(
                _("この版の注意喚起はすでに取り込んでいます: %s") % item.content.title
            )
        advisories.append(advisory)
    audit(
        principal,
        "advisories.advisory.import",
        details={"reports": [a.stix_id for a in advisories]},
    )
    return advisories


def _own_delivery(principal: Principal, delivery: AdvisoryDelivery) -> None:
    require(
        principal,
        Permission.DATA_EDIT,
        organisation=delivery.organisation,
        message=_("この注意喚起に回答できるのは、受け取った団体の担当者です。"),
    )


@transaction.atomic
def advisory_acknowledge(*, principal: Principal, delivery: AdvisoryDelivery) -> AdvisoryDelivery:
    """The recipient confirms it received the advisory (idempotent)."""
    _own_delivery(principal, delivery)
    if delivery.acknowledged_at is None:
        delivery.acknowledged_at = timezone.now()
        delivery.acknowledged_by = principal.user
        delivery.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit(
            principal,
            "advisories.advisory.acknowledge",
            target=f"advisory:{delivery.advisory.public_id}",
        )
    return delivery


@transaction.atomic
def advisory_answer(
    *, principal: Principal, delivery: AdvisoryDelivery, answer: str, note: str = ""
) -> AdvisoryDelivery:
    """The recipient answers: affected (working on it), not affected, or fixed."""
    _own_delivery(principal, delivery)
    if answer not in Answer.values:
        raise ValidationError(
            {"answer": [_("「影響あり」「影響なし」「対応済み」から選んでください。")]}
        )
    if len(note) > 4000:
        raise ValidationError({"note": [_("補足は4000文字以内で入力してください。")]})
    now = timezone.now()
    delivery.answer = answer
    delivery.note = note.strip()
    delivery.answered_at = now
    delivery.answered_by = principal.user
    if delivery.acknowledged_at is None:
        delivery.acknowledged_at, delivery.acknowledged_by = now, principal.user
    delivery.save()
    audit(
        principal,
        "advisories.advisory.answer",
        target=f"advisory:{delivery.advisory.public_id}",
        details={"answer": answer},
    )
    return delivery


def advisories_retarget() -> int:
    """Deliver exposure-targeted advisories of the last 90 days to organisations the
    diagnosis has found exposed since (the periodic task; idempotent)."""
    if targeting.exposure_source() is None:
        return 0
    since = timezone.now() - timedelta(days=RETARGET_DAYS)
    delivered = 0
    for advisory in Advisory.objects.unscoped("the task retargets every advisory").filter(
        targeting=Targeting.EXPOSURE, published_at__gte=since
    ):
        with transaction.atomic():
            delivered += _deliver(advisory, _exposed(advisory), matched=True)
    return delivered


def _clean_indicators(indicators: Sequence[str]) -> list[str]:
    cleaned = list(dict.fromkeys(i.strip() for i in indicators if i.strip()))
    if len(cleaned) > INDICATORS_MAX or any(len(i) > 2000 for i in cleaned):
        raise ValidationError({"indicators": [_("痕跡は500件まで、1件2000文字以内です。")]})
    return cleaned


@transaction.atomic
def share_create(
    *,
    principal: Principal,
    kind: str,
    title: str,
    body: str,
    indicators: Sequence[str] = (),
    tlp: str = Tlp.AMBER,
    to_nation: bool = True,
    attachments: Sequence[Upload] = (),
) -> ShareBack:
    """Share an indicator, a phishing mail or an observation with the prefecture (and the
    nation), marked with TLP. A local government's editors only."""
    require(principal, Permission.DATA_EDIT)
    if not principal.organisation.is_local_government:
        raise PermissionDenied(_("情報を共有できるのは地方公共団体です。"))
    errors: dict[str, list[str]] = {}
    if kind not in ShareKind.values:
        errors["kind"] = [_("種類を選んでください。")]
    if tlp not in Tlp.values:
        errors["tlp"] = [_("TLP を選んでください。")]
    if not title.strip() or len(title) > 200:
        errors["title"] = [_("件名を200文字以内で入力してください。")]
    if not body.strip() or len(body) > 20000:
        errors["body"] = [_("内容を20000文字以内で入力してください。")]
    if len(attachments) > MAX_ATTACHMENTS:
        errors["file"] = [_("添付できるファイルは10件までです。")]
    if errors:
        raise ValidationError(errors)
    files = [attachment_fields(u, allowed=EVIDENCE_EXTENSIONS) for u in attachments]
    share = ShareBack.objects.create(
        organisation=principal.organisation,
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        indicators=_clean_indicators(indicators),
        tlp=tlp,
        to_nation=to_nation,
        created_by=principal.user,
    )
    for fields in files:
        ShareAttachment.objects.create(share=share, uploaded_by=principal.user, **fields)
    audit(
        principal,
        "advisories.share.create",
        target=f"share:{share.public_id}",
        details={"kind": kind, "tlp": tlp, "to_nation": to_nation},
    )
    return share
