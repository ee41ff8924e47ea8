"""The pages over a real scan of the loopback lab: what 千代田区 sees and may do, what its
prefecture and the nation see, and what everyone else is refused."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from mamoru.asm.models import FindingStatus, ScanReason
from mamoru.asm.testing import Scanned
from mamoru.audit.models import AuditEvent
from mamoru.testing import CHIYODA, TOKYO, Cast, SignIn

pytestmark = pytest.mark.django_db


def test_the_municipality_reads_its_findings_in_plain_words(
    scanned: Scanned, cast: Cast, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda)
    overview = client.get(reverse("asm:organisation", args=[CHIYODA])).content.decode()
    assert "今月の露出" in overview
    assert "<svg" in overview  # the month's chart, drawn on the server
    listing = client.get(reverse("asm:findings", args=[CHIYODA])).content.decode()
    assert "CVE-2024-6387" in listing
    assert "http-directory-listing" not in listing  # people read titles, not kinds
    vulnerability = scanned.findings["known-vulnerability"]
    detail = client.get(reverse("asm:finding", args=[vulnerability.pk])).content.decode()
    assert "どういうことか" in detail
    assert "何をすればよいか" in detail
    assert "バックポート" in detail  # the Debian package was checked against DSA/OSV fixes
    assert "東京都" in detail  # who to ask: the prefecture's support desk
    for name in ("asm:assets", "asm:services", "asm:scans"):
        assert client.get(reverse(name, args=[CHIYODA])).status_code == 200
    scan = client.get(reverse("asm:scan", args=[scanned.scan.pk])).content.decode()
    assert "完了" in scan
    fragment = client.get(
        reverse("asm:scan_progress", args=[scanned.scan.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert fragment.lstrip().startswith('<section id="scan-progress"')
    assert "hx-trigger" not in fragment  # finished: the page stops polling
    reads = AuditEvent.objects.filter(action="asm.finding.read", outcome="success")
    assert reads.filter(target=f"finding:{vulnerability.pk}").count() == 1


def test_the_finding_actions_go_through_the_lifecycle(
    scanned: Scanned, cast: Cast, signed_in: SignIn, django_capture_on_commit_callbacks: object
) -> None:
    client = signed_in(cast.chiyoda)
    listing = scanned.findings["http-directory-listing"]
    url = reverse("asm:finding_action", args=[listing.pk, "acknowledge"])
    client.post(url, {"note": "委託先に連絡した"})
    listing.refresh_from_db()
    assert listing.status == FindingStatus.ACKNOWLEDGED
    accept = reverse("asm:finding_action", args=[listing.pk, "accept"])
    client.post(accept, {"reason": "", "until": "2000-01-01"})  # refused: no reason, past
    listing.refresh_from_db()
    assert listing.status == FindingStatus.ACKNOWLEDGED
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(reverse("asm:finding_action", args=[listing.pk, "fix"]))
    listing.refresh_from_db()
    assert listing.status == FindingStatus.OPEN  # the lab still lists it: reopened
    history = client.get(reverse("asm:finding", args=[listing.pk])).content.decode()
    assert "委託先に連絡した" in history
    assert "まだ検出されました" in history
    assert listing.organisation.asm_scans.filter(reason=ScanReason.VERIFICATION).count() == 1


def test_the_prefecture_reads_but_cannot_act_and_others_are_refused(
    scanned: Scanned, cast: Cast, signed_in: SignIn
) -> None:
    listing = scanned.findings["http-directory-listing"]
    finding_url = reverse("asm:finding", args=[listing.pk])
    tokyo = signed_in(cast.tokyo)
    page = tokyo.get(finding_url).content.decode()
    assert "支援のために閲覧しています" in page
    assert "修正済みにする（再診断で確認）" not in page  # no button the services would refuse
    tokyo.post(reverse("asm:finding_action", args=[listing.pk, "fix"]))
    listing.refresh_from_db()
    assert listing.status == FindingStatus.OPEN
    objects = [
        finding_url,
        reverse("asm:asset", args=[scanned.asset.pk]),
        reverse("asm:scan", args=[scanned.scan.pk]),
        reverse("asm:organisation", args=[CHIYODA]),
        reverse("asm:findings_csv", args=[CHIYODA]),
    ]
    for who in (cast.hachioji, cast.osaka_city, cast.osaka, cast.ppc):
        client = signed_in(who)
        assert [client.get(url).status_code for url in objects] == [404] * len(objects), who
    hachioji = signed_in(cast.hachioji)
    hachioji.post(reverse("asm:finding_action", args=[listing.pk, "fix"]))
    listing.refresh_from_db()
    assert listing.status == FindingStatus.OPEN


def test_exports_list_every_finding_with_what_to_do(
    scanned: Scanned, cast: Cast, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda)
    response = client.get(reverse("asm:findings_csv", args=[CHIYODA]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["優先度", "状態", "件名"]
    assert len(rows) == 1 + len(scanned.findings)
    assert any("CVE-2024-6387" in row for row in rows)
    xlsx = client.get(reverse("asm:findings_xlsx", args=[CHIYODA]))
    assert xlsx.content[:2] == b"PK"
    assert AuditEvent.objects.filter(action="asm.findings.export").count() == 2


def test_the_prefecture_and_the_nation_see_their_tables(
    scanned: Scanned, cast: Cast, signed_in: SignIn
) -> None:
    tokyo = signed_in(cast.tokyo)
    table = tokyo.get(reverse("asm:prefecture")).content.decode()
    assert "千代田区" in table
    assert "八王子市" in table  # never scanned: listed, marked
    assert "未診断" in table
    never = tokyo.get(reverse("asm:prefecture"), {"show": "never"}).content.decode()
    assert "八王子市" in never
    assert "千代田区" not in never
    assert tokyo.get(reverse("asm:overdue")).status_code == 200
    nation = signed_in(cast.nation)
    page = nation.get(reverse("asm:nation")).content.decode()
    assert "東京都" in page
    assert "<svg" in page
    osaka_view = nation.get(reverse("asm:prefecture"), {"prefecture": TOKYO[:2]})
    assert "千代田区" in osaka_view.content.decode()


def test_the_pages_speak_english_under_i18n(
    scanned: Scanned, cast: Cast, signed_in: SignIn
) -> None:
    client = signed_in(cast.chiyoda)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = client.get(reverse("asm:organisation", args=[CHIYODA])).content.decode()
    assert "<h1>Attack surface</h1>" in html
    assert "Exposure this month" in html
    detail = client.get(
        reverse("asm:finding", args=[scanned.findings["known-vulnerability"].pk])
    ).content.decode()
    assert "What this means" in detail
    assert "backport" in detail
    assert "どういうことか" not in detail


def test_the_national_rankings_keep_every_row_and_page_through_them(
    cast: Cast, signed_in: SignIn
) -> None:
    from mamoru.asm import services
    from mamoru.asm.models import Finding

    chiyoda = cast.org(CHIYODA)
    Finding.objects.bulk_create(
        Finding(organisation=chiyoda, key=f"k{n}", kind="known-vulnerability", severity="high",
                priority=2, title=f"Vulnerability {n}", vulnerability_id=f"CVE-2026-{n:05d}")
        for n in range(75)
    )  # fmt: skip
    rollup = services.national_rollup_refresh()
    assert len(rollup.vulnerabilities) == 75  # no silent cap: the page shows the first
    nation = signed_in(cast.nation)
    page = nation.get(reverse("asm:nation")).content.decode()
    assert "すべて見る（75件）" in page
    assert page.count("CVE-2026-") == 20
    url = reverse("asm:nation_ranking", args=["vulnerabilities"])
    first = nation.get(url).content.decode()
    second = nation.get(url, {"page": 2}).content.decode()
    assert first.count("CVE-2026-") + second.count("CVE-2026-") == 75
    assert "2／2ページ" in second
    assert nation.get(reverse("asm:nation_ranking", args=["secrets"])).status_code == 404
    for other in (cast.tokyo, cast.chiyoda):
        assert signed_in(other).get(url).status_code == 404
