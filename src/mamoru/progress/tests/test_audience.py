"""Who a notice goes to: the audience resolved within what the sender may address."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from mamoru.orgs.models import MUNICIPAL_KINDS, Organisation, OrganisationKind
from mamoru.orgs.selectors import organisation_by_code
from mamoru.progress.audience import (
    Audience,
    AudienceKind,
    audience_clean,
    audience_label,
    audience_organisations,
)
from mamoru.testing import CHIYODA, OSAKA_CITY, TOKYO, Cast

pytestmark = pytest.mark.django_db


def resolve(audience: Audience, sender: str) -> set[str]:
    organisation = organisation_by_code(code=sender)
    cleaned = audience_clean(audience, sender=organisation)
    return set(audience_organisations(cleaned, sender=organisation).values_list("code", flat=True))


def test_all_is_every_local_government_for_the_nation(cast: Cast) -> None:
    found = resolve(Audience(AudienceKind.ALL), "MIC")
    assert len(found) == 1788
    assert "PPC" not in found
    assert "MIC" not in found


def test_all_is_its_own_municipalities_for_a_prefecture(cast: Cast) -> None:
    found = resolve(Audience(AudienceKind.ALL), TOKYO)
    assert len(found) == 62
    assert CHIYODA in found
    assert TOKYO not in found
    assert OSAKA_CITY not in found
    assert audience_label(Audience(AudienceKind.ALL), sender=organisation_by_code(code=TOKYO)) == (
        "東京都の市区町村すべて"
    )


def test_a_prefectures_municipalities(cast: Cast) -> None:
    found = resolve(Audience(AudienceKind.PREFECTURE, prefecture_code="27"), "MIC")
    assert OSAKA_CITY in found
    assert "270008" not in found
    assert len(found) == 43
    # A prefecture naming another prefecture still reaches only its own.
    assert resolve(Audience(AudienceKind.PREFECTURE, prefecture_code="27"), TOKYO) == resolve(
        Audience(AudienceKind.ALL), TOKYO
    )


def test_a_size_class_is_kinds_and_population_bands(cast: Cast) -> None:
    villages = resolve(Audience(AudienceKind.SIZE, kinds=(OrganisationKind.VILLAGE,)), "MIC")
    assert len(villages) == Organisation.objects.filter(kind=OrganisationKind.VILLAGE).count()
    small_towns = resolve(
        Audience(AudienceKind.SIZE, kinds=(OrganisationKind.TOWN,), bands=("under-5k",)), "MIC"
    )
    assert small_towns < resolve(Audience(AudienceKind.SIZE, kinds=(OrganisationKind.TOWN,)), "MIC")
    populations = Organisation.objects.filter(code__in=small_towns).values_list(
        "population", flat=True
    )
    assert all(p is not None and p < 5000 for p in populations)
    large = resolve(Audience(AudienceKind.SIZE, bands=("300k-plus",)), "MIC")
    assert all(
        o.kind in MUNICIPAL_KINDS and (o.population or 0) >= 300_000
        for o in Organisation.objects.filter(code__in=large)
    )


def test_a_list_names_organisations_the_sender_may_address(cast: Cast) -> None:
    assert resolve(Audience(AudienceKind.LIST, codes=(CHIYODA, OSAKA_CITY, CHIYODA)), "MIC") == {
        CHIYODA,
        OSAKA_CITY,
    }
    with pytest.raises(ValidationError) as refused:
        resolve(Audience(AudienceKind.LIST, codes=(CHIYODA, OSAKA_CITY)), TOKYO)
    assert "271004" in str(refused.value)


@pytest.mark.parametrize(
    ("audience", "field"),
    [
        (Audience("everyone"), "audience"),
        (Audience(AudienceKind.PREFECTURE, prefecture_code="99"), "prefecture_code"),
        (Audience(AudienceKind.SIZE), "kinds"),
        (Audience(AudienceKind.SIZE, kinds=("national",)), "kinds"),
        (Audience(AudienceKind.LIST), "codes"),
        (Audience(AudienceKind.LIST, codes=("PPC",)), "codes"),
    ],
)
def test_a_wrong_audience_is_refused_by_field(cast: Cast, audience: Audience, field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        resolve(audience, "MIC")
    assert field in refused.value.message_dict
