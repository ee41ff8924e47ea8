"""Delay detection: where an item stands against its plan, table by table."""

from __future__ import annotations

from datetime import date

import pytest

from mamoru.progress.lateness import (
    add_months,
    month_range,
    months_behind,
    months_between,
    planned_step,
    standing,
)

APRIL = date(2025, 4, 1)
# Step 1 due in April, 2 in May, 3 and 4 in July, 5 in October 2025.
PLAN = [APRIL, date(2025, 5, 1), date(2025, 7, 1), date(2025, 7, 1), date(2025, 10, 1)]


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        (date(2025, 3, 1), 0),
        (APRIL, 1),
        (date(2025, 6, 1), 2),
        (date(2025, 7, 1), 4),
        (date(2026, 1, 1), 5),
    ],
)
def test_the_planned_step_counts_the_steps_due_by_the_month(month: date, expected: int) -> None:
    assert planned_step(PLAN, month) == expected


@pytest.mark.parametrize(
    ("step", "month", "behind", "late_with_margin_1", "late_with_margin_2"),
    [
        (0, date(2025, 3, 1), 0, False, False),  # before the plan starts
        (0, APRIL, 0, False, False),  # step 1 is due this month: not yet behind
        (0, date(2025, 5, 1), 1, True, False),  # April passed without step 1
        (0, date(2025, 6, 1), 2, True, True),
        (1, date(2025, 6, 1), 1, True, False),  # step 2 was due in May
        (2, date(2025, 6, 1), 0, False, False),  # ahead of July's steps
        (2, date(2025, 9, 1), 2, True, True),  # step 3 was due in July
        (4, date(2025, 9, 1), 0, False, False),  # step 5 is due in October
        (4, date(2026, 3, 1), 5, True, True),
        (5, date(2030, 1, 1), 0, False, False),  # every step done: never late
        (9, date(2030, 1, 1), 0, False, False),  # a step past the plan counts as done
    ],
)
def test_an_item_is_late_when_behind_by_the_margin_or_more(
    step: int,
    month: date,
    behind: int,
    late_with_margin_1: bool,
    late_with_margin_2: bool,
) -> None:
    assert months_behind(min(step, len(PLAN)), PLAN, month) == behind
    assert standing(step, PLAN, month, margin=1).late is late_with_margin_1
    assert standing(step, PLAN, month, margin=2).late is late_with_margin_2


def test_done_means_every_step_and_the_step_is_clamped() -> None:
    assert standing(5, PLAN, APRIL, margin=1).done
    assert not standing(4, PLAN, APRIL, margin=1).done
    assert standing(-3, PLAN, APRIL, margin=1).step == 0


def test_a_margin_below_one_month_is_refused() -> None:
    with pytest.raises(ValueError, match="margin"):
        standing(0, PLAN, APRIL, margin=0)


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2025, 11, 1), 2, date(2026, 1, 1)),
        (date(2025, 1, 1), -1, date(2024, 12, 1)),
        (date(2025, 1, 1), 24, date(2027, 1, 1)),
    ],
)
def test_months_are_added_across_years(start: date, count: int, expected: date) -> None:
    assert add_months(start, count) == expected
    assert months_between(start, expected) == count


def test_a_month_range_includes_both_ends() -> None:
    assert month_range(date(2025, 11, 1), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert month_range(date(2026, 2, 1), date(2025, 2, 1)) == []
