"""Synthetic logs for demos and trials: the engine's generator over a prefecture's real
municipalities (from the bundled code list, so no shared data is needed), with the ranges
and known-bad list it planted written as files the importers read."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Sequence
from pathlib import Path

from mamoru.orgs.loader import BUNDLED_LIST
from mamoru.seccloud import engine


def _code_list_dir(work: Path) -> Path:
    """A directory laid out as the shared data (``local-governments/…csv``) that holds the
    bundled code list, which has the same columns."""
    target = work / "local-governments"
    target.mkdir(parents=True, exist_ok=True)
    link = target / "local_governments.csv"
    if not link.exists():
        link.symlink_to(BUNDLED_LIST)
    return work


def write_ranges_csv(path: Path, ranges: Sequence[engine.AddressRange]) -> Path:
    """The importer's CSV (``organisation,cidr,valid_from,valid_to``)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["organisation", "cidr", "valid_from", "valid_to"])
        for r in ranges:
            writer.writerow([r.organisation, r.cidr, r.valid_from or "", r.valid_to or ""])
    return path


def generate_month(
    out_dir: Path, *, prefecture: str, month: str, rows: int, seed: int = 0
) -> engine.GeneratedLogs:
    """A prefecture-month of logs in ``out_dir`` plus ``ranges.csv`` and
    ``bad-destinations.txt`` beside them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        logs = engine.generate(
            out_dir / "logs", prefecture=prefecture[:2], shared_data=_code_list_dir(Path(work)),
            month=month, rows=rows, segment_rows=max(rows, 1), seed=seed,
        )  # fmt: skip
    write_ranges_csv(out_dir / "ranges.csv", logs.ranges)
    (out_dir / "bad-destinations.txt").write_text(
        "".join(f"{ip}\n" for ip in logs.bad_destinations), encoding="utf-8"
    )
    return logs
