import functools
import http.server
import json
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from mamoru.vulns.importers import IMPORTERS, FeedError
from mamoru.vulns.importers.records import (
    AdvisoryRecord,
    EpssRecord,
    KevRecord,
    VulnerabilityRecord,
)
from mamoru.vulns.models import (
    AffectedProduct,
    DistroFix,
    EpssScore,
    ImportLog,
    KevEntry,
    Vulnerability,
)
from mamoru.vulns.services import feed_import
from mamoru.vulns.testing import FIXTURES, kev_snapshot


def _parse(source: str, path: Path) -> list[object]:
    return list(IMPORTERS[source].parse(path))


def test_cve5_reads_affected_ranges_changes_and_scores() -> None:
    records = {
        r.id: r for r in _parse("cve5", FIXTURES / "cve5") if isinstance(r, VulnerabilityRecord)
    }
    assert set(records) == {
        "CVE-2024-6387",
        "CVE-2024-21762",
        "CVE-2024-21887",
        "CVE-2024-3400",
        "CVE-2023-46805",
        "CVE-2023-4966",
    }
    regresshion = records["CVE-2024-6387"]
    assert regresshion.cvss_score == 8.1
    openssh = [a for a in regresshion.affected or [] if a.product_key == "openbsd:openssh"]
    assert {a.version_range.describe() for a in openssh} == {">= 8.5p1, < 9.8p1", "< 4.4p1"}
    pan = [a for a in records["CVE-2024-3400"].affected or [] if a.status == "affected"]
    assert pan[0].product_key == "paloaltonetworks:pan-os"
    assert ("11.1.0-h3", "unaffected") in pan[0].version_range.changes
    assert records["CVE-2024-3400"].cvss_version == "4.0"
    citrix = {a.product_key for a in records["CVE-2023-4966"].affected or []}
    assert citrix == {"citrix:netscaler"}


def test_nvd_keeps_configurations_and_prefers_nvds_own_score() -> None:
    records = {
        r.id: r for r in _parse("nvd", FIXTURES / "nvd") if isinstance(r, VulnerabilityRecord)
    }
    assert records["CVE-2023-4966"].cvss_score == 7.5  # NVD Primary, not the CNA's 9.4
    configuration = records["CVE-2024-6387"].configurations
    assert configuration
    assert configuration[0]["nodes"][0]["cpeMatch"][1]["versionEndExcluding"] == "9.8p1"
    assert records["CVE-2024-6387"].modified is not None
    assert records["CVE-2024-6387"].modified.tzinfo


def test_jvn_keeps_the_japanese_title_and_overview_for_each_cve() -> None:
    records = [r for r in _parse("jvn", FIXTURES / "jvn") if isinstance(r, VulnerabilityRecord)]
    by_id = {r.id: r for r in records}
    assert by_id["CVE-2024-6387"].title_ja.startswith("OpenSSH のサーバ")
    assert "root 権限" in by_id["CVE-2024-6387"].summary_ja
    assert by_id["CVE-2024-6387"].jvn_id == "JVNDB-2024-003659"
    assert by_id["CVE-2024-21762"].cvss_version == "3.0"  # v3 chosen over v2
    assert by_id["CVE-2024-3400"].title_ja.startswith("Palo Alto Networks 製 PAN-OS")


def test_epss_reads_the_model_comment_line() -> None:
    records = [r for r in _parse("epss", FIXTURES / "epss") if isinstance(r, EpssRecord)]
    assert len(records) == 6
    assert records[0].model_version == "v2025.03.14"
    assert str(records[0].score_date) == "2025-08-25"


def test_osv_gives_fixed_versions_per_release() -> None:
    advisories = {r.id: r for r in _parse("osv", FIXTURES / "osv") if isinstance(r, AdvisoryRecord)}
    dsa = advisories["DSA-5724-1"]
    assert dsa.vulnerability_ids == ("CVE-2024-6387",)
    assert [(f.ecosystem, f.fixed) for f in dsa.fixes] == [("Debian:12", "1:9.2p1-2+deb12u3")]
    usn = advisories["USN-6859-1"]
    assert {f.ecosystem for f in usn.fixes} == {"Ubuntu:22.04:LTS", "Ubuntu:24.04:LTS"}
    rhsa = advisories["RHSA-2024:4312"]
    assert rhsa.fixes[0].scheme == "rpm"
    assert rhsa.fixes[0].fixed == "0:8.7p1-38.el9_4.1"
    assert len(advisories["DLA-3694-1"].fixes) == 4  # one per CVE


def test_kev_reads_the_whole_real_snapshot() -> None:
    records = [r for r in _parse("kev", kev_snapshot()) if isinstance(r, KevRecord)]
    assert len(records) == 1404
    citrix = next(r for r in records if r.cve_id == "CVE-2023-4966")
    assert citrix.ransomware
    assert str(citrix.due_date) == "2023-11-08"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _broken_cve5(tmp_path: Path) -> Path:
    document = json.loads((FIXTURES / "cve5/cves/2024/3xxx/CVE-2024-3400.json").read_text())
    del document["containers"]["cna"]["affected"][0]["versions"][0]["status"]
    return _write(tmp_path, "CVE-2024-3400.json", json.dumps(document))


MALFORMED = {
    "cve5": [
        (lambda t: _write(t, "CVE-2024-0001.json", "{not json"), "not valid JSON"),
        (
            lambda t: _write(t, "CVE-2024-0001.json", '{"cveMetadata": {"cveId": "nope"}}'),
            "not a CVE id",
        ),
        (_broken_cve5, "CVE-2024-3400.json (CVE-2024-3400): missing 'status'"),
    ],
    "nvd": [
        (lambda t: _write(t, "page.json", '{"vulnerabilities": {}}'), "must be a list"),
        (
            lambda t: _write(
                t,
                "page.json",
                '{"vulnerabilities": [{"cve": {"id": "CVE-2024-1111", "configurations": [{"nodes": [{"cpeMatch": [{"criteria": "cpe:2.3:a:x"}]}]}]}}]}',
            ),
            "vulnerabilities[0] (CVE-2024-1111): a CPE 2.3 name has 11 attributes",
        ),
    ],
    "jvn": [
        (lambda t: _write(t, "r.xml", "<VULDEF-Document"), "not well-formed"),
        (
            lambda t: _write(
                t, "r.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
            ),
            "unsafe XML",
        ),
        (
            lambda t: _write(
                t,
                "r.xml",
                '<VULDEF-Document xmlns="http://jvn.jp/vuldef/" xmlns:status="http://jvndb.jvn.jp/myjvn/Status"><status:Status retCd="1" errMsg="invalid parameter"/></VULDEF-Document>',
            ),
            "invalid parameter",
        ),
        (
            lambda t: _write(
                t,
                "r.xml",
                '<VULDEF-Document xmlns="http://jvn.jp/vuldef/"><Vulinfo><VulinfoID>JVNDB-2024-000001</VulinfoID><VulinfoData/></Vulinfo></VULDEF-Document>',
            ),
            "JVNDB-2024-000001",
        ),
    ],
    "kev": [
        (
            lambda t: _write(
                t,
                "kev.json",
                '{"vulnerabilities": [{"cveID": "CVE-2024-3400", "dateAdded": "2024-13-45"}]}',
            ),
            "vulnerabilities[0] (CVE-2024-3400): bad date",
        ),
        (
            lambda t: _write(
                t,
                "kev.json",
                '{"vulnerabilities": [{"cveID": "CVE-2024-3400", "dateAdded": "2024-04-12", "knownRansomwareCampaignUse": "Maybe"}]}',
            ),
            "knownRansomwareCampaignUse",
        ),
    ],
    "epss": [
        (
            lambda t: _write(
                t,
                "e.csv",
                "#model_version:v1,score_date:2025-08-25T00:00:00Z\ncve,epss,percentile\nCVE-2024-3400,1.7,0.9\n",
            ),
            "e.csv:3 (CVE-2024-3400): epss '1.7' is outside",
        ),
        (lambda t: _write(t, "e.csv", "id,score\n"), "header must be"),
    ],
    "osv": [
        (
            lambda t: _write(t, "DSA-1.json", '{"id": "DSA-1"}'),
            "DSA-1.json (DSA-1): missing 'modified'",
        ),
        (
            lambda t: _write(
                t,
                "DSA-1.json",
                '{"id": "DSA-1", "modified": "2024-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "Debian:12", "name": "x"}, "ranges": [{"type": "ECOSYSTEM", "events": [{}]}]}]}',
            ),
            "range event",
        ),
    ],
}


@pytest.mark.parametrize(
    ("source", "make", "message"),
    [(source, make, message) for source, cases in MALFORMED.items() for make, message in cases],
)
def test_malformed_feeds_are_refused_with_the_record_named(
    tmp_path: Path, source: str, make: object, message: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(
        FeedError,
        match=message.replace("[", r"\[")
        .replace("]", r"\]")
        .replace("(", r"\(")
        .replace(")", r"\)")
        .replace("'", "'"),
    ):
        _parse(source, path)


@pytest.mark.django_db
def test_a_bad_record_anywhere_changes_nothing(tmp_path: Path) -> None:
    feed_import(source="cve5", path=FIXTURES / "cve5")
    before = (Vulnerability.objects.count(), AffectedProduct.objects.count())
    tree = tmp_path / "cves"
    shutil.copytree(FIXTURES / "cve5" / "cves", tree)
    regresshion = tree / "2024/6xxx/CVE-2024-6387.json"
    document = json.loads(regresshion.read_text())
    document["cveMetadata"]["dateUpdated"] = "2026-01-01T00:00:00Z"
    document["containers"]["cna"]["title"] = "changed"
    regresshion.write_text(json.dumps(document))
    _broken_cve5(tree / "2024/3xxx")  # sorted after 2024/21xxx, so earlier records were written
    with pytest.raises(FeedError, match="CVE-2024-3400"):
        feed_import(source="cve5", path=tree)
    assert (Vulnerability.objects.count(), AffectedProduct.objects.count()) == before
    assert Vulnerability.objects.get(id="CVE-2024-6387").title != "changed"
    failed = ImportLog.objects.get(status=ImportLog.Status.FAILED)
    assert "CVE-2024-3400" in failed.error


@pytest.mark.django_db
def test_reimporting_is_incremental() -> None:
    first = feed_import(source="cve5", path=FIXTURES / "cve5")
    second = feed_import(source="cve5", path=FIXTURES / "cve5")
    assert first.counts["created"] == 6
    assert second.counts["unchanged"] == 6
    assert second.counts.get("updated", 0) == 0
    assert AffectedProduct.objects.filter(source="cve5").count() == sum(
        1 for _ in AffectedProduct.objects.filter(source="cve5")
    )


@pytest.mark.django_db
def test_feeds_merge_into_one_vulnerability() -> None:
    for source in ("jvn", "cve5", "nvd"):
        feed_import(source=source, path=FIXTURES / source)
    vulnerability = Vulnerability.objects.get(id="CVE-2024-6387")
    assert vulnerability.title_ja.startswith("OpenSSH")
    assert vulnerability.title.startswith("Openssh: regresshion")
    assert vulnerability.configurations is not None
    assert set(vulnerability.sources) == {"jvn", "cve5", "nvd"}
    assert set(vulnerability.affected.values_list("source", flat=True)) == {"cve5", "nvd"}


@pytest.mark.django_db
def test_kev_snapshot_imports_whole_and_withdraws_missing_entries(tmp_path: Path) -> None:
    log = feed_import(source="kev", path=kev_snapshot())
    assert KevEntry.objects.count() == 1404
    assert log.feed_version == "2025.08.25"
    assert KevEntry.objects.filter(known_ransomware_use=True).count() == 293
    smaller = json.loads(kev_snapshot().read_text())
    smaller["vulnerabilities"] = smaller["vulnerabilities"][:10]
    feed_import(source="kev", path=_write(tmp_path, "kev.json", json.dumps(smaller)))
    assert KevEntry.objects.count() == 10


@pytest.mark.django_db
def test_osv_and_epss_import_from_zip_and_gzip(tmp_path: Path) -> None:
    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in (FIXTURES / "osv").glob("*.json"):
            out.write(path, path.name)
    feed_import(source="osv", path=archive)
    assert DistroFix.objects.filter(family="debian", release="12").exists()
    assert DistroFix.objects.filter(family="ubuntu", release="22.04").exists()
    assert DistroFix.objects.filter(family="rhel", release="9").exists()
    import gzip

    gz = tmp_path / "epss_scores-2025-08-25.csv.gz"
    gz.write_bytes(gzip.compress((FIXTURES / "epss/epss_scores-2025-08-25.csv").read_bytes()))
    feed_import(source="epss", path=gz)
    assert EpssScore.objects.get(cve_id="CVE-2024-3400").percentile == pytest.approx(0.99946)


@pytest.mark.django_db
def test_cve5_from_the_nested_zip_of_the_cve_list(tmp_path: Path) -> None:
    inner = tmp_path / "cves.zip"
    with zipfile.ZipFile(inner, "w") as out:
        for path in (FIXTURES / "cve5").rglob("*.json"):
            out.write(path, str(path.relative_to(FIXTURES / "cve5")))
    outer = tmp_path / "2025-08-25_all_CVEs_at_midnight.zip"
    with zipfile.ZipFile(outer, "w") as out:
        out.write(inner, "cves.zip")
    assert feed_import(source="cve5", path=outer).counts["created"] == 6


@pytest.fixture
def http_server() -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(FIXTURES))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.django_db
def test_imports_from_a_url(http_server: str) -> None:
    log = feed_import(source="nvd", url=f"{http_server}/nvd/nvd-api-2.0-page.json")
    assert log.counts["created"] == 3
    assert Vulnerability.objects.filter(id="CVE-2024-3400").exists()
    with pytest.raises(FeedError, match="download failed"):
        feed_import(source="epss", url=f"{http_server}/missing.csv")
    with pytest.raises(FeedError, match="only http"):
        feed_import(source="epss", url="file:///etc/passwd")


def test_an_import_says_which_kev_entries_and_vulnerabilities_are_new(
    db: None, tmp_path: Path
) -> None:
    from mamoru.vulns.signals import vulnerabilities_added

    received: list[dict[str, object]] = []

    def receiver(**kwargs: object) -> None:
        received.append({k: kwargs[k] for k in ("source", "kev_ids", "vulnerability_ids")})

    vulnerabilities_added.connect(receiver)
    try:
        feed_import(source="cve5", path=FIXTURES / "cve5")
        catalogue = {
            "catalogVersion": "t", "dateReleased": "2025-01-01T00:00:00Z", "count": 1,
            "vulnerabilities": [{
                "cveID": "CVE-2024-6387", "vendorProject": "OpenBSD", "product": "OpenSSH",
                "vulnerabilityName": "test", "dateAdded": "2025-01-01",
                "shortDescription": "", "requiredAction": "", "dueDate": "2025-01-22",
                "knownRansomwareCampaignUse": "Unknown", "notes": "",
            }],
        }  # fmt: skip
        path = tmp_path / "kev.json"
        path.write_text(json.dumps(catalogue), encoding="utf-8")
        feed_import(source="kev", path=path)
        feed_import(source="kev", path=path)  # nothing new the second time
    finally:
        vulnerabilities_added.disconnect(receiver)
    assert received[0]["source"] == "cve5"
    assert "CVE-2024-6387" in received[0]["vulnerability_ids"]  # type: ignore[operator]
    assert received[1] == {"source": "kev", "kev_ids": ["CVE-2024-6387"], "vulnerability_ids": []}
    assert len(received) == 2
