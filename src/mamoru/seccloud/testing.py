"""Test support of the security-cloud app (not used by production code)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mamoru.seccloud import engine

MONTH = "2026-10"


@dataclass(frozen=True)
class GeneratedMonth:
    root: Path  # ranges.csv, bad-destinations.txt and logs/
    logs: engine.GeneratedLogs

    @property
    def first_day(self) -> date:
        return date.fromisoformat(MONTH + "-01")


def fortigate_line(day: str, srcip: str, dstip: str, action: str = "close") -> str:
    """One FortiGate traffic line (JST) between two addresses."""
    return (
        f'date={day} time=12:00:00 devname="FGT-TEST" logid="0000000013" type="traffic" '
        f'subtype="forward" srcip={srcip} srcport=1000 dstip={dstip} dstport=443 proto=6 '
        f'action="{action}" service="HTTPS" sentbyte=10 rcvdbyte=20 tz="+0900"'
    )
