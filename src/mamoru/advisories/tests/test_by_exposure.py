"""An advisory published "by exposure" reaches exactly the organisations whose scanned
services run an affected product in the affected versions — found by the attack-surface
diagnosis (``asm.selectors.organisations_exposing``) from real scans of loopback servers.

千代田区 exposes the lab's OpenSSH 9.2p1 (Debian 12); its sibling 八王子市 exposes only a web
server without a product version; 大阪市 exposes nothing yet. A later scan that finds
OpenSSH at 大阪市 makes the periodic retargeting deliver to it too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mamoru.advisories import services, targeting
from mamoru.advisories.models import AdvisoryDelivery
from mamoru.advisories.products import parse_product
from mamoru.advisories.testing import vpn_content
from mamoru.asm import services as asm_services
from mamoru.asm.selectors import organisations_exposing
from mamoru.asm.testing import approved_asset
from mamoru.asm.testing import principal as asm_principal
from mamoru.asm.tests.loopback import Lab, loopback_lab
from mamoru.progress.testing import principal
from mamoru.testing import CHIYODA, HACHIOJI, OSAKA_CITY, Cast

pytestmark = pytest.mark.django_db
OPENSSH = parse_product("openbsd:openssh >=8.5p1 <9.8p1")  # regreSSHion's range


@pytest.fixture
def lab(settings: Any) -> Iterator[Lab]:
    settings.SCAN_ALLOW_PRIVATE = True
    settings.ASM_SCAN_PORTS = ""
    settings.ASM_RESOLVER = "127.0.0.1:9"  # nothing answers: no test asks the real DNS
    settings.ASM_DNS_TIMEOUT = 0.3
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with loopback_lab("ssh", "web") as running:
        yield running


def _scan(cast: Cast, who: str, code: str, ports: str, capture: Any) -> None:
    acting = asm_principal(getattr(cast, who), code)
    approved_asset(acting.organisation, "127.0.0.1", ports=ports)
    with capture(execute=True):
        asm_services.scan_request(principal=acting, organisation=acting.organisation)


def _recipients(advisory: Any) -> set[str]:
    return set(
        AdvisoryDelivery.objects.unscoped("test")
        .filter(advisory=advisory, matched=True)
        .values_list("organisation__code", flat=True)
    )


def test_an_advisory_by_exposure_reaches_exactly_the_exposed(
    cast: Cast, lab: Lab, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    _scan(cast, "chiyoda", CHIYODA, str(lab.ports["ssh"]), capture)
    _scan(cast, "hachioji", HACHIOJI, str(lab.ports["web"]), capture)
    assert targeting.exposure_source() is organisations_exposing  # found, not stubbed

    chiyoda = cast.org(CHIYODA).pk
    assert organisations_exposing(products=[OPENSSH]) == {chiyoda}
    assert organisations_exposing(products=[parse_product("openbsd:openssh <9.0")]) == set()
    assert organisations_exposing(products=[parse_product("openbsd:openssh =9.2p1")]) == {chiyoda}

    advisory = services.advisory_publish(
        principal=principal(cast.nation),
        content=vpn_content(title="OpenSSH の脆弱性（regreSSHion）", products=(OPENSSH,)),
        by_exposure=True,
    )
    assert _recipients(advisory) == {CHIYODA}  # not 八王子市 (no OpenSSH), not 大阪市

    _scan(cast, "osaka_city", OSAKA_CITY, str(lab.ports["ssh"]), capture)
    assert services.advisories_retarget() == 1
    assert _recipients(advisory) == {CHIYODA, OSAKA_CITY}


def test_a_service_no_longer_seen_is_no_longer_exposed(
    cast: Cast, lab: Lab, django_capture_on_commit_callbacks: Any
) -> None:
    _scan(cast, "chiyoda", CHIYODA, str(lab.ports["ssh"]), django_capture_on_commit_callbacks)
    assert organisations_exposing(products=[OPENSSH]) == {cast.org(CHIYODA).pk}
    lab.stop("ssh")
    acting = asm_principal(cast.chiyoda, CHIYODA)
    with django_capture_on_commit_callbacks(execute=True):
        asm_services.scan_request(principal=acting, organisation=acting.organisation)
    assert organisations_exposing(products=[OPENSSH]) == set()
