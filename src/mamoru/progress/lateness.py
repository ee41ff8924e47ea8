"""Where an item stands against its plan, and when it counts as late. No Django here.

Months are ``date`` objects on the first day of the month. For an item whose plan puts
step ``k`` in month ``p(k)``, an organisation that has reached step ``s`` in evaluation
month ``T``:

* the *planned step* is the highest ``k`` with ``p(k) <= T`` (what the plan expects by now);
* it is *behind* by ``T - p(s + 1)`` months when the next step's planned month has passed
  (0 while that month is still running, and 0 once every step is done);
* it is *late* when it is behind by ``margin`` months or more (the campaign's margin,
  at least 1: a step planned for April and not reached by the end of May is one month
  behind, and late with a margin of 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


def month_of(day: date) -> date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + (month.month - 1) + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> int:
    """Whole months from ``start``'s month to ``end``'s month (negative when before)."""
    return (end.year - start.year) * 12 + (end.month - start.month)


def month_range(start: date, end: date) -> list[date]:
    """Every month from ``start`` to ``end``, both included (empty when end is before)."""
    return [add_months(start, i) for i in range(months_between(start, end) + 1)]


@dataclass(frozen=True, slots=True)
class Standing:
    """An item's position against its plan in one month."""

    step: int  # steps reached, 0 = not started
    planned_step: int  # steps the plan expects by now
    behind: int  # months behind the plan
    late: bool
    done: bool


def planned_step(planned: Sequence[date], month: date) -> int:
    """How many steps the plan expects to be reached by the end of ``month``."""
    return sum(1 for when in planned if when <= month)


def months_behind(step: int, planned: Sequence[date], month: date) -> int:
    """Months between the planned month of step ``step + 1`` and ``month`` (0 if not past)."""
    if step >= len(planned):
        return 0
    return max(0, months_between(planned[step], month))


def standing(step: int, planned: Sequence[date], month: date, *, margin: int) -> Standing:
    """Where an item at ``step`` stands in ``month`` (``planned``: month of each step)."""
    if margin < 1:
        raise ValueError("margin must be at least one month")
    step = max(0, min(step, len(planned)))
    behind = months_behind(step, planned, month)
    return Standing(
        step=step,
        planned_step=planned_step(planned, month),
        behind=behind,
        late=behind >= margin,
        done=step == len(planned),
    )
