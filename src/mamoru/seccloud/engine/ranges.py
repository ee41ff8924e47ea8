"""Municipal address ranges and the offline IP→country table, flattened for ASOF joins.

Django passes rows of (organisation code, CIDR, valid_from, valid_to); empty dates are
open-ended and both ends are inclusive days in Japan time. For the ASOF join the ranges are
cut into *epochs* (the periods between any two validity boundaries) and, inside each epoch,
into disjoint intervals where the most specific CIDR wins — so a row needs one ASOF match
on (epoch, address ≥ start) and one comparison with the interval's end.
"""

from __future__ import annotations

import bisect
import csv
import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

__all__ = ["AddressRange", "CountryRange", "flatten_countries", "flatten_ranges", "read_ranges_csv"]


@dataclass(frozen=True)
class AddressRange:
    """One municipality's address block, valid from/to the given days (None = open)."""

    organisation: str
    cidr: str
    valid_from: date | None = None
    valid_to: date | None = None

    def network(self) -> ipaddress.IPv4Network:
        """The block as an IPv4 network (host bits must be zero)."""
        net = ipaddress.ip_network(self.cidr, strict=True)
        if not isinstance(net, ipaddress.IPv4Network):
            raise ValueError(f"{self.cidr}: IPv6 ranges are not attributed yet")
        return net


@dataclass(frozen=True)
class CountryRange:
    """One row of an offline IP→country table (e.g. a GeoLite2-Country CSV the operator has)."""

    cidr: str
    country: str


def _parse_day(text: str, line: int, column: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{line}行目: {column} が日付（YYYY-MM-DD）ではありません: {text!r}"
        ) from None


def read_ranges_csv(path: Path) -> list[AddressRange]:
    """Read ``organisation,cidr,valid_from,valid_to`` (the CLI's import format); errors in Japanese."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        expected = ["organisation", "cidr", "valid_from", "valid_to"]
        if reader.fieldnames != expected:
            raise ValueError(
                f"見出し行は {','.join(expected)} でなければなりません: {reader.fieldnames}"
            )
        ranges = []
        for number, row in enumerate(reader, start=2):
            item = AddressRange(
                organisation=row["organisation"].strip(),
                cidr=row["cidr"].strip(),
                valid_from=_parse_day(row["valid_from"] or "", number, "valid_from"),
                valid_to=_parse_day(row["valid_to"] or "", number, "valid_to"),
            )
            try:
                item.network()
            except ValueError as exc:
                raise ValueError(
                    f"{number}行目: CIDR が正しくありません: {item.cidr!r} ({exc})"
                ) from None
            if item.valid_from and item.valid_to and item.valid_to < item.valid_from:
                raise ValueError(f"{number}行目: valid_to が valid_from より前です")
            ranges.append(item)
    return ranges


@dataclass(frozen=True)
class FlatRanges:
    """Epoch starts (UTC instants; epoch 0 starts at the beginning of time) and intervals."""

    epoch_starts: tuple[datetime, ...]
    intervals: tuple[tuple[int, int, int, str], ...]  # (epoch, start, end, organisation)


def _paint(blocks: Iterable[tuple[int, int, int, str]]) -> list[tuple[int, int, str]]:
    """Disjoint intervals from nested-or-disjoint blocks; the most specific block wins."""
    covered: list[tuple[int, int]] = []  # sorted, disjoint
    out: list[tuple[int, int, str]] = []
    # Longest prefix first: what it covers is never claimed by a broader block.
    for _prefix, start, end, org in sorted(blocks, key=lambda b: -b[0]):
        cursor = start
        i = bisect.bisect_left(covered, (start, -1))
        if i > 0 and covered[i - 1][1] >= start:
            i -= 1
        pieces: list[tuple[int, int]] = []
        while i < len(covered) and covered[i][0] <= end:
            c_start, c_end = covered[i]
            if c_start > cursor:
                pieces.append((cursor, c_start - 1))
            cursor = max(cursor, c_end + 1)
            i += 1
        if cursor <= end:
            pieces.append((cursor, end))
        for p_start, p_end in pieces:
            out.append((p_start, p_end, org))
            bisect.insort(covered, (p_start, p_end))
    return sorted(out)


def flatten_ranges(ranges: Sequence[AddressRange], utc_offset: timedelta) -> FlatRanges:
    """Cut ``ranges`` into epochs × disjoint intervals (see the module docstring)."""
    boundaries = sorted(
        {r.valid_from for r in ranges if r.valid_from}
        | {r.valid_to + timedelta(days=1) for r in ranges if r.valid_to}
    )
    starts: list[date | None] = [None, *boundaries]
    intervals: list[tuple[int, int, int, str]] = []
    for epoch, first_day in enumerate(starts):
        active = [
            r
            for r in ranges
            if (r.valid_from is None or (first_day is not None and r.valid_from <= first_day))
            and (r.valid_to is None or first_day is None or r.valid_to >= first_day)
        ]
        blocks = []
        for r in active:
            net = r.network()
            blocks.append(
                (
                    net.prefixlen,
                    int(net.network_address),
                    int(net.broadcast_address),
                    r.organisation,
                )
            )
        intervals.extend((epoch, s, e, org) for s, e, org in _paint(blocks))
    epoch_starts = tuple(datetime.combine(d, time(0), tzinfo=UTC) - utc_offset for d in boundaries)
    return FlatRanges(
        epoch_starts=(datetime.min.replace(tzinfo=UTC), *epoch_starts), intervals=tuple(intervals)
    )


def flatten_countries(rows: Sequence[CountryRange]) -> list[tuple[int, int, str]]:
    """Disjoint (start, end, country) intervals; nested entries: the most specific wins."""
    blocks = []
    for row in rows:
        net = ipaddress.ip_network(row.cidr, strict=False)
        if isinstance(net, ipaddress.IPv4Network):
            blocks.append(
                (net.prefixlen, int(net.network_address), int(net.broadcast_address), row.country)
            )
    return _paint(blocks)
