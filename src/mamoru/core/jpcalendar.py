"""Japanese calendar helpers: business days of public offices, deadlines, and the era (和暦).

Pure Python (no Django), so that the incident-routing core and the CLI can use it alone.

Business days follow the usual rule for public offices: weekends, national holidays
(国民の祝日に関する法律, via ``jpholiday``, which includes 振替休日 and 国民の休日) and the
year-end closure 12/29–1/3 are closed days. The closure is the one in 行政機関の休日に関する
法律 第1条第1項第3号 for national bodies; local governments set theirs by ordinance under
地方自治法 第4条の2 (almost all copy the national one), so it is a parameter of
:class:`BusinessCalendar`, not a constant baked into the functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

import jpholiday

JST: Final = ZoneInfo("Asia/Tokyo")

# (month, day) pairs: 12/29, 12/30, 12/31, 1/1, 1/2, 1/3 (1/1 is also a national holiday).
YEAR_END_CLOSURE: Final[frozenset[tuple[int, int]]] = frozenset(
    {(12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3)}
)

# Moments a record may name. Outside them a date is a typing mistake (2062 for 2026, 0206
# for 2026); refusing it keeps every deadline computable and every date printable in the
# Japanese era (the Gregorian calendar starts in 1873 in Japan).
EARLIEST: Final = datetime(1990, 1, 1, tzinfo=ZoneInfo("UTC"))
LATEST: Final = datetime(2100, 1, 1, tzinfo=ZoneInfo("UTC"))

# A day-counted deadline ends at the last second of its day, Japan time.
END_OF_DAY: Final = time(23, 59, 59)

# A business-day search that finds no open day in this many days is a misconfigured calendar.
_MAX_CLOSED_RUN: Final = 366


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    """Which days a public office is open.

    ``closed_month_days`` are closed every year (the year-end closure by default);
    ``extra_closed`` and ``extra_open`` are single dates decided locally (e.g. an ordinance
    that closes an office on a local holiday, or an office opened on a Saturday).
    """

    closed_month_days: frozenset[tuple[int, int]] = YEAR_END_CLOSURE
    extra_closed: frozenset[date] = frozenset()
    extra_open: frozenset[date] = frozenset()


GOVERNMENT_CALENDAR: Final = BusinessCalendar()
# Weekends and national holidays only, for rules that do not follow the office closure.
HOLIDAYS_ONLY_CALENDAR: Final = BusinessCalendar(closed_month_days=frozenset())


def _as_date(day: date) -> date:
    # ``datetime`` is a subclass of ``date``: compare calendar days, never instants.
    if isinstance(day, datetime):
        return to_jst(day).date()
    return day


def is_national_holiday(day: date) -> bool:
    """True on a national holiday (振替休日 and 国民の休日 included)."""
    return bool(jpholiday.is_holiday(_as_date(day)))


def is_business_day(day: date, *, calendar: BusinessCalendar = GOVERNMENT_CALENDAR) -> bool:
    """True when a public office following ``calendar`` is open on ``day``."""
    day = _as_date(day)
    if day in calendar.extra_open:
        return True
    if day in calendar.extra_closed:
        return False
    if day.weekday() >= 5:  # Saturday, Sunday
        return False
    if (day.month, day.day) in calendar.closed_month_days:
        return False
    return not is_national_holiday(day)


def next_business_day(
    day: date, *, include_today: bool = False, calendar: BusinessCalendar = GOVERNMENT_CALENDAR
) -> date:
    """The first business day after ``day`` (or ``day`` itself when open and ``include_today``)."""
    current = _as_date(day) if include_today else _as_date(day) + timedelta(days=1)
    for _ in range(_MAX_CLOSED_RUN):
        if is_business_day(current, calendar=calendar):
            return current
        current += timedelta(days=1)
    raise ValueError("the business calendar has no open day within a year")


def add_business_days(
    day: date, count: int, *, calendar: BusinessCalendar = GOVERNMENT_CALENDAR
) -> date:
    """The ``count``-th business day after ``day``; ``day`` itself is not counted.

    ``add_business_days(friday, 1)`` is the next Monday when it is open. ``count`` 0 gives
    ``day`` back unchanged.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    current = _as_date(day)
    for _ in range(count):
        current = next_business_day(current, calendar=calendar)
    return current


def add_days(day: date, count: int) -> date:
    """``day`` plus ``count`` calendar days (weekends and holidays count)."""
    return _as_date(day) + timedelta(days=count)


def to_jst(moment: datetime) -> datetime:
    """The same instant in Japan time. Naive datetimes are refused: their zone is a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is required")
    return moment.astimezone(JST)


def end_of_day(day: date) -> datetime:
    """23:59:59 Japan time on ``day``: when a deadline counted in days runs out."""
    return datetime.combine(_as_date(day), END_OF_DAY, tzinfo=JST)


@dataclass(frozen=True, slots=True)
class _Era:
    name: str
    first_day: date


# Newest first. Meiji starts at the adoption of the Gregorian calendar (明治6年1月1日):
# earlier dates were lunisolar and cannot be written from a Gregorian date alone.
_ERAS: Final[tuple[_Era, ...]] = (
    _Era("令和", date(2019, 5, 1)),
    _Era("平成", date(1989, 1, 8)),
    _Era("昭和", date(1926, 12, 25)),
    _Era("大正", date(1912, 7, 30)),
    _Era("明治", date(1873, 1, 1)),
)
_MEIJI_OFFSET: Final = 1867  # 1873 is 明治6年, not the first year of the era


def era_year(day: date) -> tuple[str, int]:
    """The era name and the year within it, e.g. ``("令和", 7)`` for 2025-11-22."""
    day = _as_date(day)
    for era in _ERAS:
        if day >= era.first_day:
            if era.name == "明治":
                return era.name, day.year - _MEIJI_OFFSET
            return era.name, day.year - era.first_day.year + 1
    raise ValueError("dates before 1873-01-01 (明治6年) cannot be written in a Japanese era")


def format_wareki(day: date) -> str:
    """``令和7年11月22日``; the first year of an era is 元年 (``令和元年5月1日``)."""
    day = _as_date(day)
    name, year = era_year(day)
    year_text = "元" if year == 1 else str(year)
    return f"{name}{year_text}年{day.month}月{day.day}日"


def format_wareki_datetime(moment: datetime) -> str:
    """``令和7年11月22日 23時59分`` in Japan time."""
    local = to_jst(moment)
    return f"{format_wareki(local.date())} {local.hour}時{local.minute:02d}分"
