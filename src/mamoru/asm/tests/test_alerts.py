"""A KEV import that adds an entry matching a lab service tells the exposed organisation
and its prefecture — in the platform and by an e-mail without detail — and nobody else.

千代田区 exposes the unpatched Debian 12 OpenSSH of the lab; 大阪市 exposes the patched
package (DSA-5724-1 applied), which the backport rule must not count as exposed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from mamoru.asm import services
from mamoru.asm.models import AlertNotice, ExposureAlert, Finding, FindingStatus
from mamoru.asm.testing import Scanned, approved_asset, kev_catalogue, principal
from mamoru.asm.tests.loopback import loopback_lab
from mamoru.testing import CHIYODA, OSAKA_CITY, Cast, SignIn
from mamoru.vulns.services import feed_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def patched_in_osaka(cast: Cast, django_capture_on_commit_callbacks: Any) -> Any:
    with loopback_lab("ssh-patched") as lab:
        osaka = principal(cast.osaka_city, OSAKA_CITY)
        approved_asset(osaka.organisation, lab.ip, ports=lab.port_list)
        with django_capture_on_commit_callbacks(execute=True):
            services.scan_request(principal=osaka, organisation=osaka.organisation)
        yield osaka


def _import_kev(tmp_path: Path, capture: Any) -> None:
    path = tmp_path / "kev.json"
    path.write_text(json.dumps(kev_catalogue("CVE-2024-6387")), encoding="utf-8")
    with capture(execute=True):
        feed_import(source="kev", path=path)


def test_a_new_kev_entry_alerts_the_exposed_and_their_prefecture_only(
    scanned: Scanned,
    patched_in_osaka: Any,
    *,
    cast: Cast,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
    signed_in: SignIn,
) -> None:
    before = Finding.objects.count()
    assert Finding.objects.filter(organisation__code=OSAKA_CITY).count() == 0
    _import_kev(tmp_path, django_capture_on_commit_callbacks)

    alert = ExposureAlert.objects.get()
    assert (alert.organisation.code, alert.vulnerability_id, alert.kev) == (
        CHIYODA, "CVE-2024-6387", True,
    )  # fmt: skip
    assert alert.affected[0]["where"].endswith(f":{scanned.lab.ports['ssh']}")
    told = set(AlertNotice.objects.values_list("user__username", flat=True))
    assert told == {"chiyoda", "chiyoda_viewer", "tokyo"}
    finding = Finding.objects.get(vulnerability_id="CVE-2024-6387")
    assert (finding.kind, finding.kev, finding.priority) == (
        "known-exploited-vulnerability",
        True,
        1,
    )
    assert Finding.objects.count() == before  # the same finding, now KEV: not a second one

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"{name}@example.jp" for name in ("chiyoda", "chiyoda_viewer", "tokyo")
    )
    for message in mail.outbox:
        assert "CVE" not in message.body
        assert "OpenSSH" not in message.body
        assert f":{scanned.lab.ports['ssh']}" not in message.body  # no address or port
        assert f"/asm/alerts/{alert.pk}/" in message.body

    _import_kev(tmp_path, django_capture_on_commit_callbacks)  # nothing new: nobody again
    assert AlertNotice.objects.count() == 3
    assert len(mail.outbox) == 3

    home = signed_in(cast.chiyoda).get("/").content.decode()
    assert "KEVに該当する機器があります" in home
    assert "確認していない露出の警告があります" in home
    tokyo = signed_in(cast.tokyo)
    assert "千代田区" in tokyo.get(reverse("asm:alerts")).content.decode()
    page = tokyo.get(reverse("asm:alert", args=[alert.pk])).content.decode()
    assert "最初にすること" in page
    tokyo.post(reverse("asm:alert_read", args=[alert.pk]))
    assert AlertNotice.objects.get(user=cast.tokyo).read_at is not None
    for who in (cast.hachioji, cast.osaka_city, cast.osaka, cast.ppc):
        assert signed_in(who).get(reverse("asm:alert", args=[alert.pk])).status_code == 404


def test_an_advisory_alerts_at_high_priority_and_again_when_it_turns_kev(
    scanned: Scanned,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    finding = scanned.findings["known-vulnerability"]
    finding.status = FindingStatus.VERIFIED
    finding.save()
    # regreSSHion on an internet-facing SSH server: CVSS 8.1, raised a level for remote
    # access → priority 2. Below the alert threshold it is recorded, not told.
    monkeypatch.setattr("mamoru.asm.services.alerts.ALERT_LEVEL", 1)
    with django_capture_on_commit_callbacks(execute=True):
        raised = services.exposure_alerts_raise(kev_ids=[], vulnerability_ids=["CVE-2024-6387"])
    finding.refresh_from_db()
    assert (raised, ExposureAlert.objects.count(), finding.priority) == (0, 0, 2)
    assert finding.status == FindingStatus.OPEN  # seen again after verification: reopened

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.exposure_alerts_raise(kev_ids=[], vulnerability_ids=["CVE-2024-6387"])
    alert = ExposureAlert.objects.get()
    assert (alert.source, alert.kev) == ("advisory", False)
    AlertNotice.objects.update(read_at="2025-01-01T00:00:00Z")
    _import_kev(tmp_path, django_capture_on_commit_callbacks)
    alert.refresh_from_db()
    assert (alert.source, alert.kev) == ("kev", True)
    assert AlertNotice.objects.filter(read_at__isnull=True).count() == 3  # told again
