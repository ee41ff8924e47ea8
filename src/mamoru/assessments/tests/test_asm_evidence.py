"""The attack-surface diagnosis's open findings are shown beside the answers they
contradict (``asm_evidence.AsmFindings``, registered by the app): a ward that answered 実施
to "perimeter devices patched promptly" (TEC-18) while ASM has an open KEV finding on its
VPN appliance is flagged on its report and on the prefecture's review page; findings that
are fixed, young or of another organisation are not held against it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from mamoru.asm.models import Finding, FindingStatus, Service
from mamoru.assessments import contradictions
from mamoru.assessments.asm_evidence import AsmFindings
from mamoru.assessments.models import Campaign
from mamoru.assessments.testing import person, principal, target_of
from mamoru.audit.models import AuditEvent
from mamoru.orgs.models import Organisation
from mamoru.testing import HACHIOJI, Cast, SignIn

pytestmark = pytest.mark.django_db
ALL_DONE = {"TEC-05": "implemented", "TEC-10": "implemented", "TEC-18": "implemented"}
ALL_DONE |= {"TEC-19": "implemented", "TEC-12": "partial"}


def _service(organisation: Organisation, port: int, **fields: Any) -> Service:
    return Service.objects.create(
        organisation=organisation, ip="192.0.2.10", port=port, service="https", **fields
    )


def _finding(organisation: Organisation, key: str, days: int, **fields: Any) -> Finding:
    fields.setdefault("kind", "known-exploited-vulnerability")
    return Finding.objects.create(
        organisation=organisation,
        key=key,
        severity="critical",
        priority=1,
        title=f"finding {key}",
        first_seen=timezone.now() - timedelta(days=days),
        ip="192.0.2.10",
        port=443,
        **fields,
    )


@pytest.fixture
def ward_findings(closed: Campaign, wards: list[str]) -> Organisation:
    """The ward (answered TEC-18 実施) with an Ivanti VPN whose KEV finding is 40 days open,
    and findings that must not count; 八王子市 has the same VPN finding."""
    ward = Organisation.objects.get(code=sorted(wards)[-1])
    for organisation, prefix in ((ward, "w"), (Organisation.objects.get(code=HACHIOJI), "h")):
        vpn = _service(
            organisation, 443, product="Connect Secure", vendor="Ivanti", extra={"vpn": "true"}
        )
        _finding(
            organisation, f"{prefix}-vpn", 40, service=vpn, kev=True,
            vulnerability_id="CVE-2024-21887", product="Ivanti Connect Secure 22.3",
            details={"product": "ivanti:connect_secure"},
        )  # fmt: skip
    web = _service(ward, 8443, product="nginx")
    _finding(ward, "young", 3, kind="known-vulnerability", service=web, vulnerability_id="CVE-1")
    _finding(
        ward, "old", 45, kind="known-vulnerability", service=web, vulnerability_id="CVE-2",
        product="nginx 1.18.0",
    )  # fmt: skip
    _finding(ward, "fixed", 60, service=web, vulnerability_id="CVE-3", status=FindingStatus.FIXED)
    _finding(ward, "rdp", 1, kind="exposed-remote-desktop")
    return ward


def test_open_findings_contradict_the_items_they_belong_to(
    cast: Cast, ward_findings: Organisation
) -> None:
    found = AsmFindings().find(
        principal=principal(cast.tokyo), organisation=ward_findings, answers=ALL_DONE
    )
    by_item: dict[str, list[str]] = {}
    for fact in found:
        by_item.setdefault(fact.item_id, []).append(fact.title)
    assert set(by_item) == {"TEC-10", "TEC-18", "TEC-19"}  # TEC-12 was only 一部実施
    (vpn,) = by_item["TEC-18"]
    assert vpn == "Ivanti Connect Secure 22.3 に KEV の脆弱性 CVE-2024-21887 が40日間未対応です"
    # the 45-day-old one only: not the 3-day-old one (CVE-1), not the fixed one (CVE-3)
    assert by_item["TEC-19"] == ["nginx 1.18.0 に既知の脆弱性 CVE-2 が45日間未対応です"]
    assert AuditEvent.objects.filter(action="asm.findings.read").exists()  # the read is audited

    nothing = AsmFindings().find(
        principal=principal(cast.tokyo), organisation=ward_findings, answers={"TEC-18": "partial"}
    )
    assert nothing == []


def test_a_reader_outside_the_gate_sees_no_finding(cast: Cast, ward_findings: Organisation) -> None:
    assert (
        AsmFindings().find(
            principal=principal(cast.osaka_city), organisation=ward_findings, answers=ALL_DONE
        )
        == []
    )


def test_the_report_and_the_review_page_show_the_kev_finding_beside_the_answer(
    cast: Cast, closed: Campaign, ward_findings: Organisation, signed_in: SignIn
) -> None:
    assert "asm" in contradictions._SOURCES  # registered by the app, not by the test
    target = target_of(closed, ward_findings.code)
    assert target.current_submission is not None
    assert target.current_submission.answers["TEC-18"] == "implemented"
    report = (
        signed_in(person(ward_findings.code))
        .get(reverse("assessments:report", args=[target.pk]))
        .content.decode()
    )
    assert "CVE-2024-21887" in report
    review = signed_in(cast.tokyo).get(reverse("assessments:target", args=[target.pk]))
    text = review.content.decode()
    assert "CVE-2024-21887" in text
    finding = Finding.objects.get(organisation=ward_findings, key="w-vpn")
    assert reverse("asm:finding", args=[finding.pk]) in text
