"""``mamoru seccloud …`` end to end: generate a month, import its ranges, ingest it (rows
read, stored, quarantined), and the report as JSON with the figures by name."""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
import zstandard
from django.conf import settings
from django.core.management import CommandError, call_command

from mamoru.seccloud.engine.tests import samples as s
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


def _free_port(kind: int) -> int:
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _send_then_stop(tcp: int, udp: int, lines: list[str]) -> None:
    """Wait until the receiver listens, send one line by TCP and one by UDP, then stop it
    as an operator's service manager would (SIGTERM)."""
    for _ in range(200):
        try:
            connection = socket.create_connection(("127.0.0.1", tcp), timeout=0.1)
            break
        except OSError:
            time.sleep(0.05)
    else:
        return  # the command failed to start: it has raised, nothing to stop
    with connection:
        connection.sendall((lines[0] + "\n").encode())
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as datagram:
        datagram.sendto(lines[1].encode(), ("127.0.0.1", udp))
    time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGTERM)


def test_receive_spools_what_it_hears_and_closes_the_segment_on_sigterm(
    cast: Cast,
) -> None:
    tcp, udp = _free_port(socket.SOCK_STREAM), _free_port(socket.SOCK_DGRAM)
    lines = ["<189>" + s.FORTIGATE_DENY, "<185>" + s.FORTIGATE_IPS]
    sender = threading.Thread(target=_send_then_stop, args=(tcp, udp, lines))
    sender.start()
    printed = run("receive", "--prefecture", "13", "--tcp-port", str(tcp), "--udp-port", str(udp))
    sender.join()
    assert "東京都のログを" in printed
    closed = list(
        (Path(settings.MAMORU_SECCLOUD_DATA_ROOT) / "spool" / "pref=13" / "closed").glob("*.zst")
    )
    assert closed, "the segment is closed when the receiver stops"
    heard = b"".join(
        zstandard.ZstdDecompressor().stream_reader(p.read_bytes(), read_across_frames=True).read()
        for p in closed
    ).decode()
    assert sorted(heard.splitlines()) == sorted(lines)


def test_receive_over_tls_needs_a_certificate_and_a_key(cast: Cast) -> None:
    with pytest.raises(CommandError, match="--certificate と --key"):
        run("receive", "--prefecture", "13", "--tls-port", "6514")
