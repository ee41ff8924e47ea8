"""FIRST EPSS scores: ``epss_scores-YYYY-MM-DD.csv(.gz)`` with its comment line
``#model_version:v2025.03.14,score_date:2025-08-25T12:55:00Z`` before the header.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from pathlib import Path

from mamoru.vulns.importers.base import require_cve_id
from mamoru.vulns.importers.feed import Entry, FeedError, entries, parse_date, parse_datetime
from mamoru.vulns.importers.records import EpssRecord, FeedInfo, Record


def _comment(line: str, where: str) -> tuple[str, str]:
    fields = dict(part.split(":", 1) for part in line.lstrip("#").strip().split(",") if ":" in part)
    return fields.get("model_version", ""), fields.get("score_date", "")


def _probability(value: str, what: str, where: str, cve: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise FeedError(where, f"{what} {value!r} is not a number", cve) from None
    if not (0.0 <= number <= 1.0) or math.isnan(number):
        raise FeedError(where, f"{what} {value!r} is outside [0, 1]", cve)
    return number


def _parse_entry(entry: Entry) -> Iterator[Record]:
    with entry.open() as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        first = text.readline()
        model, score_date = "", ""
        if first.startswith("#"):
            model, score_date = _comment(first, entry.name)
            header = text.readline()
        else:
            header = first
        if [h.strip() for h in header.split(",")][:3] != ["cve", "epss", "percentile"]:
            raise FeedError(f"{entry.name}:2", "header must be cve,epss,percentile")
        day = parse_date(score_date, entry.name)
        yield FeedInfo(version=model, released=parse_datetime(score_date or None, entry.name))
        for number, row in enumerate(csv.reader(text), start=3):
            if not row:
                continue
            where = f"{entry.name}:{number}"
            if len(row) < 3:
                raise FeedError(where, "expected cve,epss,percentile")
            cve = require_cve_id(row[0], where)
            score = _probability(row[1], "epss", where, cve)
            percentile = _probability(row[2], "percentile", where, cve)
            yield EpssRecord(cve, score, percentile, day, model)


class EpssImporter:
    source = "epss"
    description = "FIRST EPSS scores CSV (optionally gzipped)"

    def parse(self, path: Path) -> Iterator[Record]:
        for entry in entries(path):
            if entry.wanted(".csv"):
                yield from _parse_entry(entry)
