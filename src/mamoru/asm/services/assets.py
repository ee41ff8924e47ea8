"""Assets and their scope: add (by the organisation, or by the nation on its behalf),
approve (the organisation only), change, retire, and import many at once from CSV or
Excel — all or nothing, every wrong row named in Japanese."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.asm import dnslookup
from mamoru.asm.models import Asset, AssetKind, ScopeState
from mamoru.asm.scope import is_name, normalise, ports_spec, url_host
from mamoru.asm.services._access import actor_fields, require_own, require_own_or_nation
from mamoru.core.tabular import RowErrors, TableError, read_rows
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Actor, audit


def _allow_private() -> bool:
    return bool(settings.SCAN_ALLOW_PRIVATE)


def _existing(organisation: Organisation, kind: str, value: str) -> bool:
    return (
        Asset.objects.unscoped("a uniqueness check before a write the service checked")
        .filter(organisation=organisation, kind=kind, value=value)
        .exists()
    )


def _new_asset(
    principal: Actor, organisation: Organisation, kind: str, value: str, **fields: object
) -> Asset:
    who = actor_fields(principal)
    return Asset(
        organisation=organisation,
        kind=kind,
        value=value,
        added_by=who.user,
        added_for=who.organisation,
        **fields,
    )


@transaction.atomic
def asset_create(
    *,
    principal: Actor,
    organisation: Organisation,
    kind: str,
    value: str,
    ports: str = "",
    owner: str = "",
    note: str = "",
    via: str = "form",
) -> Asset:
    """Register an asset of ``organisation``, waiting for the organisation's approval.

    Its own editors, or a national operator on its behalf. Bad values, private ranges and
    duplicates are refused with Japanese messages (``ValidationError``).
    """
    require_own_or_nation(principal, organisation)
    normalised = normalise(kind, value, allow_private=_allow_private())
    if _existing(organisation, kind, normalised.value):
        raise ValidationError(
            _("「%(value)s」はすでに登録されています。") % {"value": normalised.value}
        )
    asset = _new_asset(
        principal,
        organisation,
        kind,
        normalised.value,
        ports=ports_spec(ports),
        owner=owner.strip()[:150],
        note=note.strip(),
        added_via=via,
    )
    asset.save()
    audit(
        principal,
        "asm.asset.create",
        organisation=organisation,
        target=f"asset:{asset.pk}",
        details={"kind": kind, "value": asset.value, "on_behalf": asset.added_on_behalf},
    )
    return asset


@transaction.atomic
def asset_update(*, principal: Actor, asset: Asset, ports: str, owner: str, note: str) -> Asset:
    """Change an asset's extra ports, owner and note (its value stays: add a new one)."""
    require_own_or_nation(principal, asset.organisation)
    asset.ports = ports_spec(ports)
    asset.owner = owner.strip()[:150]
    asset.note = note.strip()
    asset.save(update_fields=["ports", "owner", "note", "updated_at"])
    audit(
        principal, "asm.asset.update", organisation=asset.organisation, target=f"asset:{asset.pk}"
    )
    return asset


def _name_of(asset: Asset) -> str | None:
    if not is_name(asset.kind, asset.value):
        return None
    return url_host(asset.value) if asset.kind == AssetKind.URL else asset.value


def assets_approve(*, principal: Actor, assets: Iterable[Asset]) -> list[Asset]:
    """Approve assets for scanning (the owning organisation only).

    A name's current addresses are kept with the approval: a later scan follows the name
    only to those addresses and to the organisation's approved ranges. Approving an
    approved asset again takes its current addresses.
    """
    chosen = list(assets)
    for asset in chosen:
        require_own(principal, asset.organisation)
    # DNS before the transaction: a slow resolver must not hold the database.
    names = {a.pk: n for a in chosen if (n := _name_of(a))}
    resolved = dnslookup.resolve_all(names.values())
    who = actor_fields(principal)
    now = timezone.now()
    with transaction.atomic():
        for asset in chosen:
            asset.scope_state = ScopeState.APPROVED
            asset.approved_by = who.user
            asset.approved_at = now
            asset.retired_at = None
            asset.approved_addresses = resolved.get(names.get(asset.pk, ""), [])
            asset.save(
                update_fields=[
                    "scope_state",
                    "approved_by",
                    "approved_at",
                    "retired_at",
                    "approved_addresses",
                    "updated_at",
                ]
            )
            audit(
                principal,
                "asm.asset.approve",
                organisation=asset.organisation,
                target=f"asset:{asset.pk}",
                details={"addresses": asset.approved_addresses},
            )
    return chosen


def asset_approve(*, principal: Actor, asset: Asset) -> Asset:
    """Approve one asset for scanning (see ``assets_approve``)."""
    return assets_approve(principal=principal, assets=[asset])[0]


@transaction.atomic
def asset_retire(*, principal: Actor, asset: Asset) -> Asset:
    """Stop scanning an asset (kept, with its history); approving it again restarts it."""
    require_own_or_nation(principal, asset.organisation)
    if asset.scope_state != ScopeState.RETIRED:
        asset.scope_state = ScopeState.RETIRED
        asset.retired_at = timezone.now()
        asset.save(update_fields=["scope_state", "retired_at", "updated_at"])
        audit(
            principal,
            "asm.asset.retire",
            organisation=asset.organisation,
            target=f"asset:{asset.pk}",
        )
    return asset


# --- import --------------------------------------------------------------------------------

COLUMNS = ("種類", "値", "ポート", "担当", "メモ")
REQUIRED = ("種類", "値")
_KINDS = {
    **{value: value for value in AssetKind.values},
    **{str(label): value for value, label in AssetKind.choices},
    "ドメイン名": AssetKind.DOMAIN,
    "IP": AssetKind.IP,
    "ip": AssetKind.IP,
    "範囲": AssetKind.RANGE,
    "CIDR": AssetKind.RANGE,
}


@dataclass(frozen=True)
class ImportSummary:
    created: list[Asset]
    already: list[str]  # values that were registered before (left as they are)


def _parse_row(
    values: dict[str, str], organisation: Organisation, seen: set[tuple[str, str]]
) -> tuple[str, str, str]:
    kind = _KINDS.get(values.get("種類", "").strip())
    if kind is None:
        raise ValidationError(
            _(
                "種類「%(kind)s」は使えません（ドメイン、ホスト名、IPアドレス、アドレス範囲、URL のいずれか）。"
            )
            % {"kind": values.get("種類", "")}
        )
    value = normalise(kind, values.get("値", ""), allow_private=_allow_private()).value
    if (kind, value) in seen:
        raise ValidationError(_("「%(value)s」がファイルの中で重複しています。") % {"value": value})
    seen.add((kind, value))
    return kind, value, ports_spec(values.get("ポート", ""))


def assets_import(
    *, principal: Actor, organisation: Organisation, data: bytes, filename: str
) -> ImportSummary:
    """Import assets from a CSV or .xlsx with the columns 種類, 値 (and ポート, 担当, メモ).

    Every row is checked first; one wrong row changes nothing and every wrong row is
    named (``ValidationError`` with the row numbers). Assets already registered are left
    as they are and listed. New assets wait for the organisation's approval.
    """
    require_own_or_nation(principal, organisation)
    try:
        rows = read_rows(data, filename=filename, required=REQUIRED)
    except TableError as error:
        raise ValidationError(str(error)) from None
    if not rows:
        raise ValidationError(_("取り込む行がありません。2行目から資産を書いてください。"))
    errors, seen = RowErrors(), set[tuple[str, str]]()
    parsed = []
    for row in rows:
        try:
            kind, value, ports = _parse_row(row.values, organisation, seen)
        except ValidationError as error:
            for message in error.messages:
                errors.add(row.line, message)
            continue
        parsed.append((kind, value, ports, row.values))
    if errors:
        raise ValidationError(errors.errors)
    existing = set(
        Asset.objects.unscoped("a uniqueness check before a write the service checked")
        .filter(organisation=organisation)
        .values_list("kind", "value")
    )
    fresh = [
        _new_asset(
            principal,
            organisation,
            kind,
            value,
            ports=ports,
            owner=values.get("担当", "").strip()[:150],
            note=values.get("メモ", "").strip(),
            added_via="import",
        )
        for kind, value, ports, values in parsed
        if (kind, value) not in existing
    ]
    with transaction.atomic():
        for asset in fresh:
            asset.save()
        audit(
            principal,
            "asm.asset.import",
            organisation=organisation,
            target=filename[:200],
            details={"created": len(fresh), "already": len(parsed) - len(fresh)},
        )
    already = [value for kind, value, _p, _v in parsed if (kind, value) in existing]
    return ImportSummary(created=fresh, already=already)
