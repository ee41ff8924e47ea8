"""The Japanese calendar: business days of public offices, deadlines, and era formatting."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mamoru.core.jpcalendar import (
    GOVERNMENT_CALENDAR,
    HOLIDAYS_ONLY_CALENDAR,
    JST,
    BusinessCalendar,
    add_business_days,
    add_days,
    end_of_day,
    era_year,
    format_wareki,
    format_wareki_datetime,
    is_business_day,
    is_national_holiday,
    next_business_day,
    to_jst,
)


def test_weekdays_that_are_not_holidays_are_business_days() -> None:
    assert is_business_day(date(2025, 11, 21))  # Friday


def test_weekends_are_not_business_days() -> None:
    assert not is_business_day(date(2025, 11, 22))  # Saturday
    assert not is_business_day(date(2025, 11, 23))  # Sunday


def test_national_holidays_and_substitute_holidays_are_closed() -> None:
    assert not is_business_day(date(2025, 11, 3))  # 文化の日
    assert is_national_holiday(date(2025, 5, 6))  # 振替休日 for みどりの日 on a Sunday
    assert not is_business_day(date(2025, 5, 6))


def test_year_end_closure_closes_public_offices() -> None:
    # 2025-12-29 and 2026-01-02 are weekdays but fall in the 12/29–1/3 closure.
    assert not is_business_day(date(2025, 12, 29))
    assert not is_business_day(date(2026, 1, 2))
    assert is_business_day(date(2025, 12, 26))
    assert is_business_day(date(2026, 1, 5))


def test_year_end_closure_can_be_switched_off() -> None:
    assert is_business_day(date(2025, 12, 29), calendar=HOLIDAYS_ONLY_CALENDAR)
    assert not is_business_day(date(2026, 1, 1), calendar=HOLIDAYS_ONLY_CALENDAR)  # 元日


def test_local_extra_closed_and_open_days_override_the_rule() -> None:
    calendar = BusinessCalendar(
        extra_closed=frozenset({date(2025, 11, 21)}),
        extra_open=frozenset({date(2025, 11, 22)}),
    )
    assert not is_business_day(date(2025, 11, 21), calendar=calendar)
    assert is_business_day(date(2025, 11, 22), calendar=calendar)


def test_add_business_days_skips_golden_week() -> None:
    # Monday 2025-04-28; 4/29 昭和の日, 5/3–5/6 holidays and the weekend are skipped.
    start = date(2025, 4, 28)
    assert add_business_days(start, 1) == date(2025, 4, 30)
    assert add_business_days(start, 3) == date(2025, 5, 2)
    assert add_business_days(start, 4) == date(2025, 5, 7)


def test_add_business_days_skips_the_year_end_closure() -> None:
    assert add_business_days(date(2025, 12, 26), 1) == date(2026, 1, 5)


def test_add_business_days_zero_returns_the_same_day() -> None:
    assert add_business_days(date(2025, 11, 22), 0) == date(2025, 11, 22)


def test_add_business_days_refuses_negative_counts() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_business_days(date(2025, 11, 22), -1)


def test_next_business_day_can_include_today() -> None:
    assert next_business_day(date(2025, 11, 21), include_today=True) == date(2025, 11, 21)
    assert next_business_day(date(2025, 11, 21)) == date(2025, 11, 25)  # 11/24 振替休日


def test_a_calendar_without_open_days_is_an_error() -> None:
    every_day = frozenset((m, d) for m in range(1, 13) for d in range(1, 32))
    with pytest.raises(ValueError, match="no open day"):
        next_business_day(date(2025, 1, 1), calendar=BusinessCalendar(every_day))


def test_add_days_counts_every_calendar_day() -> None:
    assert add_days(date(2025, 12, 20), 30) == date(2026, 1, 19)


def test_end_of_day_is_the_last_second_in_japan_time() -> None:
    moment = end_of_day(date(2025, 11, 22))
    assert moment == datetime(2025, 11, 22, 23, 59, 59, tzinfo=JST)
    assert moment.utcoffset() == timedelta(hours=9)


def test_a_datetime_counts_as_its_day_in_japan() -> None:
    # 16:00 UTC on a Friday is 01:00 on Saturday in Japan: not a business day there.
    assert not is_business_day(datetime(2025, 11, 21, 16, 0, tzinfo=UTC))


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        to_jst(datetime(2025, 11, 22, 12, 0))  # naive on purpose


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 11, 22), "令和7年11月22日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2020, 1, 1), "令和2年1月1日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1912, 7, 30), "大正元年7月30日"),
        (date(1873, 1, 1), "明治6年1月1日"),
    ],
)
def test_format_wareki(day: date, expected: str) -> None:
    assert format_wareki(day) == expected


def test_era_year_refuses_dates_before_the_gregorian_calendar() -> None:
    with pytest.raises(ValueError, match="1873"):
        era_year(date(1872, 12, 31))


def test_format_wareki_datetime_uses_japan_time() -> None:
    moment = datetime(2019, 4, 30, 15, 30, tzinfo=UTC)  # 2019-05-01 00:30 JST
    assert format_wareki_datetime(moment) == "令和元年5月1日 0時30分"


@settings(database=None, max_examples=200)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2049, 12, 31)), st.integers(0, 40))
def test_add_business_days_lands_on_a_business_day_after_the_start(day: date, count: int) -> None:
    result = add_business_days(day, count, calendar=GOVERNMENT_CALENDAR)
    if count == 0:
        assert result == day
    else:
        assert result > day
        assert is_business_day(result)
        # Exactly ``count`` business days lie in (day, result].
        span = (day + timedelta(days=i) for i in range(1, (result - day).days + 1))
        assert sum(is_business_day(d) for d in span) == count
