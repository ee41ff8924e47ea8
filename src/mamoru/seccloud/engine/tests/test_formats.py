"""Every format's sample lines parse into the OCSF core columns (format=auto, one file)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mamoru.seccloud.engine.ingest import ingest
from mamoru.seccloud.engine.testing import RANGES, events, write_lines
from mamoru.seccloud.engine.tests import samples as s

ALL = [v for k, v in vars(s).items() if k.isupper() and k != "GARBAGE"]


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    tmp_path = tmp_path_factory.mktemp("formats")
    path = write_lines(tmp_path / "all.log", [*ALL, s.GARBAGE])
    result = ingest([path], store=tmp_path / "store", prefecture="13", ranges=RANGES)
    assert result.rows_read == len(ALL) + 1
    assert result.rows_quarantined == 1, result.segments
    by_key: dict[str, dict[str, object]] = {}
    for row in events(tmp_path / "store"):
        key = f"{row['metadata_product_name']}:{row['metadata_log_name']}:{row['action']}"
        by_key[key] = row
    return by_key


def ip(text: str) -> int:
    a, b, c, d = (int(x) for x in text.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d


def test_fortigate_traffic_is_network_activity_attributed_by_source(
    rows: dict[str, dict[str, object]],
) -> None:
    row = rows["FortiGate:traffic:close"]
    assert row["time"] == datetime(2026, 10, 5, 1, 0, 1, tzinfo=UTC)
    assert row["class_uid"] == 4001
    assert row["action_id"] == 1
    assert row["src_endpoint_ip"] == ip("10.1.2.3")
    assert row["dst_endpoint_port"] == 443
    assert (row["traffic_bytes_out"], row["traffic_bytes_in"]) == (1200, 34000)
    assert row["org_uid"] == "131016"
    assert row["device_name"] == "FGT-PREF-01"
    assert str(row["day"]) == "2026-10-05"


def test_fortigate_deny_is_attributed_by_destination(rows: dict[str, dict[str, object]]) -> None:
    row = rows["FortiGate:traffic:deny"]
    assert row["action_id"] == 2
    assert row["org_uid"] == "131024"
    assert row["app_name"] == "SSH"


def test_fortigate_utm_types(rows: dict[str, dict[str, object]]) -> None:
    ips = rows["FortiGate:ips:dropped"]
    assert (ips["class_uid"], ips["severity_id"], ips["finding_uid"]) == (2004, 5, "53001")
    virus = rows["FortiGate:virus:blocked"]
    assert virus["finding_title"] == "W32/Emotet.A!tr"
    assert virus["file_name"] == "請求書.zip"
    assert virus["email_to"] == "kikaku@city.example.lg.jp"
    assert str(virus["file_hash_sha256"]).startswith("abcdef")
    sandbox = rows["FortiGate:sandbox:blocked"]
    assert (sandbox["severity"], sandbox["severity_id"]) == ("malicious", 5)
    web = rows["FortiGate:webfilter:blocked"]
    assert (web["class_uid"], web["category_name"], web["url_hostname"]) == (
        4002,
        "Malicious Websites",
        "phish.example.com",
    )
    spam = rows["FortiGate:spam:blocked"]
    assert (spam["class_uid"], spam["email_from"]) == (4009, "win@example.org")


def test_cef_and_leef(rows: dict[str, dict[str, object]]) -> None:
    cp = rows["Check Point SmartDefense:ips:Drop"]
    assert cp["time"] == datetime(2026, 10, 5, 1, 6, tzinfo=UTC)
    assert (cp["severity_id"], cp["dst_endpoint_port"], cp["connection_info_protocol_num"]) == (
        4,
        445,
        6,
    )
    assert cp["device_name"] == "cp-gw01"
    trend = rows["Trend Micro Deep Discovery Analyzer:sandbox:Quarantine"]
    assert trend["time"] == datetime(2026, 10, 5, 1, 7, tzinfo=UTC)
    assert trend["file_name"] == "report.xlsm"
    assert trend["org_uid"] == "131024"
    fgt = rows["Fortinet Fortigate:traffic:deny"]
    assert (fgt["action_id"], fgt["dst_endpoint_port"]) == (2, 3389)
    leef = rows["Digital Arts m-FILTER:spam:delete"]
    assert (leef["class_uid"], leef["email_from"], leef["action_id"]) == (
        4009,
        "spam@example.org",
        2,
    )


def test_panos_traffic_and_threats(rows: dict[str, dict[str, object]]) -> None:
    traffic = rows["PAN-OS:traffic:allow"]
    assert traffic["time"] == datetime(2026, 10, 5, 1, 9, tzinfo=UTC)
    assert (traffic["traffic_bytes_out"], traffic["traffic_bytes_in"]) == (1000, 4000)
    assert traffic["device_name"] == "PA-3220"
    url = rows["PAN-OS:webfilter:block-url"]
    assert (url["class_uid"], url["url_hostname"], url["category_name"]) == (
        4002,
        "bad.example.com",
        "malware",
    )
    vuln = rows["PAN-OS:ips:reset-both"]
    assert (vuln["finding_uid"], vuln["severity_id"]) == ("33820", 4)
    assert vuln["finding_title"] == "Apache Struts Remote Code Execution Vulnerability"


def test_digital_arts(rows: dict[str, dict[str, object]]) -> None:
    access = rows["i-FILTER:web:pass"]
    assert access["url_path"] == "/お知らせ"
    assert access["org_uid"] == "131016"
    block = rows["i-FILTER:webfilter:block"]
    assert (block["action_id"], block["url_hostname"], block["category_name"]) == (
        2,
        "gamble.example.com",
        "31",
    )
    mail = rows["m-FILTER:virus:delete"]
    assert mail["finding_title"] == "ウイルス削除"
    assert mail["email_to"] == "kaikei@city.example.lg.jp"


def test_suricata_and_squid(rows: dict[str, dict[str, object]]) -> None:
    alert = rows["Suricata:ips:allowed"]
    assert (alert["finding_uid"], alert["severity_id"], alert["device_name"]) == (
        "2030000",
        4,
        "ids-01",
    )
    assert alert["time"] == datetime(2026, 10, 5, 1, 15, 0, 123456, tzinfo=UTC)
    squid = rows["Squid:webfilter:TCP_DENIED"]
    assert (squid["action_id"], squid["url_hostname"]) == (2, "blocked.example.com")
