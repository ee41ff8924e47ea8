"""``mamoru seccloud …`` end to end: generate a month, import its ranges, ingest it (rows
read, stored, quarantined), and the report as JSON with the figures by name."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mamoru.seccloud.models import AddressRange, MonthlyFigures
from mamoru.testing import CHIYODA, Cast

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("seccloud", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_generate_import_ingest_report(cast: Cast, tmp_path: Path) -> None:
    out = tmp_path / "month"
    assert "行を" in run(
        "generate",
        "--prefecture",
        "13",
        "--month",
        "2026-09",
        "--rows",
        "1000",
        "--output",
        str(out),
    )
    assert (
        run("ranges", "import", str(out / "ranges.csv")) == "アドレス範囲を 62 件取り込みました\n"
    )
    logs = sorted(str(p) for p in (out / "logs").iterdir())
    printed = run("ingest", *logs, "--prefecture", "130001")
    assert printed.startswith("読み込み ")
    assert "保存 " in printed
    assert "隔離 0行" in printed
    again = run("ingest", *logs, "--prefecture", "13")
    assert again.startswith("読み込み 0行、保存 0行、隔離 0行")
    report = json.loads(
        run(
            "report",
            "--prefecture",
            "13",
            "--month",
            "2026-09",
            "--organisation",
            CHIYODA,
            "--format",
            "json",
        )
    )
    stored = MonthlyFigures.objects.unscoped("test").get(organisation__code=CHIYODA)
    assert report["firewall_sessions_blocked"] == stored.sessions_blocked
    assert {"firewall_sessions_allowed", "ips_detections_by_severity", "malware_removed_from_mail",
            "spam", "suspicious_files", "url_blocks_by_category"} <= set(report)  # fmt: skip
    table = run("report", "--prefecture", "13", "--month", "2026-09")
    assert "ファイアウォールが止めた通信" in table


def test_ranges_import_refuses_the_whole_file_with_line_errors(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "ranges.csv"
    path.write_text(
        f"organisation,cidr,valid_from,valid_to\n{CHIYODA},10.1.0.0/16,,\n999999,10.2.0.0/16,,\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="3行目: 団体コード「999999」は取り込めません"):
        run("ranges", "import", str(path))
    assert not AddressRange.objects.unscoped("test").exists()


def test_unknown_prefecture_and_bad_month_are_refused(cast: Cast) -> None:
    with pytest.raises(CommandError, match="都道府県が見つかりません: 99"):
        run("report", "--prefecture", "99", "--month", "2026-09")
    with pytest.raises(CommandError, match="YYYY-MM"):
        run("report", "--prefecture", "13", "--month", "2026/09")
