"""The monthly figures of every municipality from one read equal those of one at a time."""

from __future__ import annotations

from pathlib import Path

from mamoru.seccloud.engine.report import monthly_report, monthly_reports
from mamoru.seccloud.engine.testing import Ingest


def line(srcip: str, action: str) -> str:
    return (
        f'date=2026-10-05 time=12:00:00 devname="FGT" logid="0000000013" type="traffic" '
        f'subtype="forward" srcip={srcip} srcport=1000 dstip=198.51.100.1 dstport=443 proto=6 '
        f'action="{action}" service="HTTPS" sentbyte=10 rcvdbyte=20 tz="+0900"'
    )


def test_all_municipalities_at_once_match_one_at_a_time(
    ingest_lines: Ingest, tmp_path: Path
) -> None:
    ingest_lines(
        [line("10.1.0.1", "close"), line("10.1.0.2", "deny"), line("10.2.0.1", "deny"),
         line("172.16.0.1", "close")]
    )  # fmt: skip
    store = tmp_path / "store"
    together = monthly_reports(store=store, prefecture="13", month="2026-10")
    assert set(together) == {None, "131016", "131024"}
    for code in together:
        alone = monthly_report(store=store, prefecture="13", month="2026-10", organisation=code)
        assert together[code].as_dict() == alone.as_dict()
    assert together[None].firewall_sessions_allowed == 2
    assert together["131016"].firewall_sessions_blocked == 1
