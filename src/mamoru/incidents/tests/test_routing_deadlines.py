"""Deadline arithmetic: periods in hours, days and business days, counting the first day or
not, rolling off closed days, and clocks that have not started."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from mamoru.core.jpcalendar import HOLIDAYS_ONLY_CALENDAR, JST, end_of_day
from mamoru.incidents.routing import Phase, Timeline, Timing, Trigger
from mamoru.incidents.routing.deadlines import (
    DeadlineSpec,
    Period,
    Unit,
    compute_due,
    due_instant,
    trigger_time,
)
from mamoru.incidents.routing.testing import jst


def spec(
    amount: int,
    unit: Unit = Unit.DAYS,
    *,
    first_day_counted: bool = False,
    roll_forward: bool = False,
    trigger: Trigger = Trigger.AWARE,
    timing: Timing = Timing.FIXED,
) -> DeadlineSpec:
    return DeadlineSpec(trigger, timing, Period(amount, unit), first_day_counted, roll_forward)


def test_hours_count_from_the_instant() -> None:
    assert due_instant(spec(1, Unit.HOURS), jst(2025, 11, 12, 23, 30)) == jst(2025, 11, 13, 0, 30)


def test_days_do_not_count_the_first_day_by_default() -> None:
    assert due_instant(spec(30), jst(2025, 11, 12)) == end_of_day(date(2025, 12, 12))


def test_days_can_count_the_first_day() -> None:
    assert due_instant(spec(30, first_day_counted=True), jst(2025, 11, 12)) == end_of_day(
        date(2025, 12, 11)
    )


def test_without_roll_forward_a_deadline_may_end_on_a_holiday() -> None:
    # 2025-12-29 is in the year-end closure; a plain day count ignores it.
    assert due_instant(spec(30, first_day_counted=True), jst(2025, 11, 30)) == end_of_day(
        date(2025, 12, 29)
    )


def test_roll_forward_moves_a_closed_last_day_to_the_next_business_day() -> None:
    due = due_instant(spec(30, first_day_counted=True, roll_forward=True), jst(2025, 11, 30))
    assert due == end_of_day(date(2026, 1, 5))


def test_roll_forward_follows_the_calendar_given() -> None:
    due = due_instant(
        spec(30, first_day_counted=True, roll_forward=True),
        jst(2025, 11, 30),
        calendar=HOLIDAYS_ONLY_CALENDAR,
    )
    assert due == end_of_day(date(2025, 12, 29))


def test_business_days_skip_golden_week() -> None:
    # Aware on Mon 2025-04-28: 4/29 and 5/3–5/6 are holidays, so 3 business days end 5/2
    # and 4 business days end 5/7.
    assert due_instant(spec(3, Unit.BUSINESS_DAYS), jst(2025, 4, 28)) == end_of_day(
        date(2025, 5, 2)
    )
    assert due_instant(spec(4, Unit.BUSINESS_DAYS), jst(2025, 4, 28)) == end_of_day(
        date(2025, 5, 7)
    )


def test_business_days_counting_the_first_day_only_when_it_is_open() -> None:
    counted = spec(1, Unit.BUSINESS_DAYS, first_day_counted=True)
    assert due_instant(counted, jst(2025, 11, 12)) == end_of_day(date(2025, 11, 12))
    # Saturday is not open: the first business day is the next Tuesday (11/24 振替休日).
    assert due_instant(counted, jst(2025, 11, 22)) == end_of_day(date(2025, 11, 25))


def test_days_are_counted_on_the_japanese_date() -> None:
    # 16:00 UTC on 11/12 is already 11/13 in Japan.
    start = datetime(2025, 11, 12, 16, 0, tzinfo=UTC)
    assert due_instant(spec(1), start) == end_of_day(date(2025, 11, 14))


def test_a_missing_determination_counts_from_awareness() -> None:
    timeline = Timeline(aware=jst(2025, 11, 12))
    assert trigger_time(timeline, Trigger.DETERMINED) == (Trigger.AWARE, jst(2025, 11, 12))


def test_a_recorded_determination_is_used() -> None:
    timeline = Timeline(aware=jst(2025, 11, 12), determined=jst(2025, 11, 14))
    assert trigger_time(timeline, Trigger.DETERMINED) == (Trigger.DETERMINED, jst(2025, 11, 14))


def test_a_clock_that_has_not_started_is_pending() -> None:
    due = compute_due(
        spec(5, trigger=Trigger.SUBMITTED),
        Timeline(aware=jst(2025, 11, 12)),
        phase=Phase.FINAL,
        rule_id="r",
    )
    assert due.pending
    assert due.due_at is None
    assert due.trigger_at is None


def test_a_submitted_clock_counts_from_submission() -> None:
    timeline = Timeline(aware=jst(2025, 11, 12), submitted=jst(2025, 11, 14))
    due = compute_due(spec(5, trigger=Trigger.SUBMITTED), timeline, phase=Phase.FINAL, rule_id="r")
    assert due.due_at == end_of_day(date(2025, 11, 19))
    assert due.trigger_at == jst(2025, 11, 14)


def test_promptly_is_indicative_and_fixed_is_binding() -> None:
    timeline = Timeline(aware=jst(2025, 11, 12))
    prompt = compute_due(
        spec(3, timing=Timing.PROMPTLY), timeline, phase=Phase.PRELIMINARY, rule_id="r"
    )
    fixed = compute_due(spec(3), timeline, phase=Phase.PRELIMINARY, rule_id="r")
    assert prompt.indicative
    assert not fixed.indicative
    assert prompt.due_at == fixed.due_at
    assert fixed.sort_key() < prompt.sort_key()  # at the same instant the binding one first


def test_due_text_is_japanese_with_the_era() -> None:
    due = compute_due(
        spec(30, first_day_counted=True, trigger=Trigger.DETERMINED),
        Timeline(aware=jst(2025, 11, 12), determined=jst(2025, 11, 12)),
        phase=Phase.FINAL,
        rule_id="r",
    )
    assert due.text == "報告対象事態を知った時点から30日以内（期限: 令和7年12月11日 23時59分まで）"


def test_immediately_text_gives_the_indicative_time() -> None:
    due = compute_due(
        spec(1, Unit.HOURS, timing=Timing.IMMEDIATELY),
        Timeline(aware=jst(2025, 11, 12, 9, 5)),
        phase=Phase.PRELIMINARY,
        rule_id="r",
    )
    assert due.text == "直ちに（目安: 認知から1時間、令和7年11月12日 10時05分まで）"
    assert due.due_at == jst(2025, 11, 12, 9, 5) + timedelta(hours=1)
    assert due.due_at is not None
    assert due.due_at.tzinfo == JST


@pytest.mark.parametrize("unit", list(Unit))
def test_period_labels_are_japanese(unit: Unit) -> None:
    assert Period(2, unit).label in {"2時間", "2日", "2開庁日"}
