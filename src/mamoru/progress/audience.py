"""Who a notice (or an advisory) goes to: all, a prefecture's municipalities, a size class,
or a list — resolved to organisations within what the sender may address.

The nation addresses every local government; a prefecture only its own municipalities,
whatever the audience says (a prefecture's "all" is its municipalities, a list naming
another prefecture's town is refused). A size class is a set of organisation kinds
(政令指定都市 … 村) and/or population bands (``mamoru.orgs.models.POPULATION_BANDS``);
both given, an organisation must match both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamoru.orgs.models import (
    LOCAL_GOVERNMENT_KINDS,
    MUNICIPAL_KINDS,
    POPULATION_BANDS,
    Organisation,
    OrganisationKind,
)
from mamoru.orgs.selectors import organisation_list

MAX_LISTED = 2000


class AudienceKind(models.TextChoices):
    ALL = "all", gettext_lazy("すべての地方公共団体")
    PREFECTURE = "prefecture", gettext_lazy("ある都道府県の市区町村")
    SIZE = "size", gettext_lazy("団体の規模で選ぶ")
    LIST = "list", gettext_lazy("団体を指定する")


BAND_KEYS = tuple(label for _, label in POPULATION_BANDS)
# The bands as people say them (the shell's template filter says the same; it sits above).
BAND_LABELS = {
    "under-5k": gettext_lazy("人口5千人未満"),
    "5k-10k": gettext_lazy("人口5千人以上1万人未満"),
    "10k-50k": gettext_lazy("人口1万人以上5万人未満"),
    "50k-100k": gettext_lazy("人口5万人以上10万人未満"),
    "100k-300k": gettext_lazy("人口10万人以上30万人未満"),
    "300k-plus": gettext_lazy("人口30万人以上"),
}


@dataclass(frozen=True)
class Audience:
    kind: str
    prefecture_code: str = ""
    kinds: tuple[str, ...] = ()
    bands: tuple[str, ...] = ()
    codes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "prefecture_code": self.prefecture_code,
            "kinds": list(self.kinds),
            "bands": list(self.bands),
            "codes": list(self.codes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Audience:
        return cls(
            kind=str(data.get("kind", "")),
            prefecture_code=str(data.get("prefecture_code", "") or ""),
            kinds=tuple(data.get("kinds", ()) or ()),
            bands=tuple(data.get("bands", ()) or ()),
            codes=tuple(data.get("codes", ()) or ()),
        )


def _scope(sender: Organisation) -> Q:
    """The organisations ``sender`` may address at all."""
    if sender.kind == OrganisationKind.PREFECTURE:
        return Q(prefecture_code=sender.prefecture_code, kind__in=MUNICIPAL_KINDS)
    if sender.kind == OrganisationKind.NATIONAL:
        return Q(kind__in=LOCAL_GOVERNMENT_KINDS)
    return Q(pk__in=[])


def _codes(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.strip() for c in values if c and c.strip()))


def _list_errors(codes: tuple[str, ...], sender: Organisation) -> list[str]:
    if not codes:
        return [_("宛先の団体コードを一つ以上入力してください。")]
    if len(codes) > MAX_LISTED:
        return [_("一度に指定できる団体は%d件までです。") % MAX_LISTED]
    known = set(
        organisation_list().filter(_scope(sender), code__in=codes).values_list("code", flat=True)
    )
    outside = [c for c in codes if c not in known]
    if outside:
        return [_("宛先にできない団体コードがあります: %s") % "、".join(outside[:20])]
    return []


def _size_errors(audience: Audience) -> list[str]:
    unknown = [k for k in audience.kinds if k not in MUNICIPAL_KINDS]
    unknown += [b for b in audience.bands if b not in BAND_KEYS]
    if unknown:
        return [_("団体の規模の指定が正しくありません: %s") % "、".join(unknown)]
    if not audience.kinds and not audience.bands:
        return [_("団体の種類か人口の区分を一つ以上選んでください。")]
    return []


def audience_clean(audience: Audience, *, sender: Organisation) -> Audience:
    """``audience`` checked against what ``sender`` may address (``ValidationError`` in
    Japanese, keyed by field)."""
    if audience.kind not in AudienceKind.values:
        raise ValidationError({"audience": [_("宛先の種類を選んでください。")]})
    if audience.kind == AudienceKind.PREFECTURE:
        if sender.kind == OrganisationKind.PREFECTURE:
            return Audience(kind=audience.kind, prefecture_code=sender.prefecture_code)
        if not organisation_list(
            kind=OrganisationKind.PREFECTURE, prefecture_code=audience.prefecture_code
        ).exists():
            raise ValidationError({"prefecture_code": [_("都道府県を選んでください。")]})
        return Audience(kind=audience.kind, prefecture_code=audience.prefecture_code)
    if audience.kind == AudienceKind.SIZE:
        errors = _size_errors(audience)
        if errors:
            raise ValidationError({"kinds": errors})
        return Audience(kind=audience.kind, kinds=audience.kinds, bands=audience.bands)
    if audience.kind == AudienceKind.LIST:
        codes = _codes(audience.codes)
        errors = _list_errors(codes, sender)
        if errors:
            raise ValidationError({"codes": errors})
        return Audience(kind=audience.kind, codes=codes)
    return Audience(kind=AudienceKind.ALL)


def audience_organisations(audience: Audience, *, sender: Organisation) -> QuerySet[Organisation]:
    """The organisations ``audience`` names, within what ``sender`` may address."""
    qs = organisation_list().filter(_scope(sender))
    if audience.kind == AudienceKind.PREFECTURE:
        return qs.filter(prefecture_code=audience.prefecture_code, kind__in=MUNICIPAL_KINDS)
    if audience.kind == AudienceKind.SIZE:
        qs = qs.filter(kind__in=MUNICIPAL_KINDS)
        if audience.kinds:
            qs = qs.filter(kind__in=audience.kinds)
        if audience.bands:
            qs = qs.filter(_band_q(audience.bands))
        return qs
    if audience.kind == AudienceKind.LIST:
        return qs.filter(code__in=audience.codes)
    return qs


def _band_q(bands: Iterable[str]) -> Q:
    """Population bands as ranges (upper bounds exclusive, the last band open)."""
    query = Q(pk__in=[])
    lower = 0
    for upper, key in POPULATION_BANDS:
        if key in bands:
            band = Q(population__gte=lower)
            if upper is not None:
                band &= Q(population__lt=upper)
            query |= band
        lower = upper or lower
    return query


def audience_label(audience: Audience, *, sender: Organisation) -> str:
    """The audience in a few Japanese words, for lists and the notice itself."""
    if audience.kind == AudienceKind.ALL:
        if sender.kind == OrganisationKind.PREFECTURE:
            return _("%(name)sの市区町村すべて") % {"name": sender.name}
        return _("すべての地方公共団体")
    if audience.kind == AudienceKind.PREFECTURE:
        prefecture = organisation_list(
            kind=OrganisationKind.PREFECTURE, prefecture_code=audience.prefecture_code
        ).first()
        return _("%(name)sの市区町村") % {"name": prefecture.name if prefecture else "—"}
    if audience.kind == AudienceKind.SIZE:
        names = [str(OrganisationKind(k).label) for k in audience.kinds]
        names += [str(BAND_LABELS.get(b, b)) for b in audience.bands]
        return _("規模: %s") % "・".join(names)
    return _("指定した%(count)d団体") % {"count": len(audience.codes)}
