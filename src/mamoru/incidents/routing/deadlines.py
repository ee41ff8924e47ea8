"""Deadlines: how a rule file states them, and the instant each one falls on.

A phase's deadline counts from a trigger (awareness, determination, approval, submission)
and is one of:

* a fixed period — ``{hours: N}``, ``{days: N}`` or ``{business_days: N}`` — giving a due
  instant that the law (or the rule) sets;
* ``promptly`` (速やかに) or ``immediately`` (直ちに), which the law leaves without a number:
  the rule then gives an indicative period, and the due instant is marked as indicative.

Periods in days end at 23:59:59 JST of their last day. By default the day of the trigger
is not counted (民法 第140条, 初日不算入); a rule may count it (``first_day: counted``) and may
move a last day that falls on a closed day to the next business day (``roll_forward: true``).

Closed days are weekends, national holidays and the year-end closure (12/29–1/3). A rule may
say ``calendar: holidays_only`` to keep the year-end closure open: an indicative target for
a report that no law times (e.g. "promptly" to the prefecture) must not wait six days for
the offices to reopen when the legal report to PPC is due within three.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Final

from mamoru.core.jpcalendar import (
    GOVERNMENT_CALENDAR,
    BusinessCalendar,
    add_business_days,
    add_days,
    end_of_day,
    format_wareki_datetime,
    is_business_day,
    next_business_day,
    to_jst,
)
from mamoru.incidents.routing.codes import Phase, Trigger
from mamoru.incidents.routing.conditions import (
    Condition,
    RuleFormatError,
    Scope,
    holds,
    parse_condition,
)
from mamoru.incidents.routing.facts import Timeline


class Timing(enum.StrEnum):
    FIXED = "fixed"
    PROMPTLY = "promptly"  # 速やかに
    IMMEDIATELY = "immediately"  # 直ちに


class Unit(enum.StrEnum):
    HOURS = "hours"
    DAYS = "days"
    BUSINESS_DAYS = "business_days"


_UNIT_LABELS: Final = {Unit.HOURS: "時間", Unit.DAYS: "日", Unit.BUSINESS_DAYS: "開庁日"}


@dataclass(frozen=True, slots=True)
class Period:
    amount: int
    unit: Unit

    @property
    def label(self) -> str:
        return f"{self.amount}{_UNIT_LABELS[self.unit]}"


@dataclass(frozen=True, slots=True)
class DeadlineSpec:
    trigger: Trigger
    timing: Timing
    period: Period  # the deadline when FIXED, the indicative time otherwise
    first_day_counted: bool = False
    roll_forward: bool = False
    holidays_only: bool = False  # the year-end closure is not a closed day for this deadline


@dataclass(frozen=True, slots=True)
class DeadlineCase:
    when: Condition | None  # None: the default, always last
    spec: DeadlineSpec


@dataclass(frozen=True, slots=True)
class PhaseDeadline:
    """One phase's deadline, possibly depending on the facts (first matching case wins)."""

    cases: tuple[DeadlineCase, ...]

    def spec_for(self, scope: Scope) -> DeadlineSpec:
        for case in self.cases:
            if case.when is None or holds(case.when, scope):
                return case.spec
        raise AssertionError("the loader guarantees a default case")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class Due:
    """A computed deadline of one phase for one recipient."""

    phase: Phase
    rule_id: str
    timing: Timing
    period: Period
    trigger: Trigger  # what the rule counts from
    counted_from: Trigger  # what was used: ``aware`` when ``determined`` is not yet recorded
    trigger_at: datetime | None  # None: the trigger has not happened yet
    due_at: datetime | None  # the deadline, or the indicative time; None while pending

    @property
    def pending(self) -> bool:
        return self.due_at is None

    @property
    def indicative(self) -> bool:
        return self.timing is not Timing.FIXED

    def sort_key(self) -> tuple[float, int]:
        """Earlier first; a pending deadline last; at the same instant a fixed (binding)
        deadline before an indicative one."""
        rank = {Timing.FIXED: 0, Timing.IMMEDIATELY: 1, Timing.PROMPTLY: 2}[self.timing]
        return (math.inf if self.due_at is None else self.due_at.timestamp(), rank)

    @property
    def text(self) -> str:
        """E.g. ``報告対象事態を知った時点から30日以内（期限: 令和7年12月21日 23時59分まで）``
        or ``速やかに（目安: 認知から3日、令和7年11月24日 23時59分まで）``."""
        origin = self.counted_from.label
        span = f"{origin}から{self.period.label}"
        until = (
            f"{origin}の日時が未確定のため未定"
            if self.due_at is None
            else f"{format_wareki_datetime(self.due_at)}まで"
        )
        if self.timing is Timing.FIXED:
            return f"{span}以内（期限: {until}）"
        word = "速やかに" if self.timing is Timing.PROMPTLY else "直ちに"
        return f"{word}（目安: {span}、{until}）"


# --- parsing ------------------------------------------------------------------------------

_SPEC_KEYS: Final = frozenset(
    {"trigger", "within", "indicative", "first_day", "roll_forward", "calendar"}
)
_CALENDARS: Final = ("government", "holidays_only")


def parse_phase_deadline(raw: object) -> PhaseDeadline:
    """A phase's deadline from YAML: a single spec, or ``{cases: [...]}`` ending in a default."""
    if not isinstance(raw, Mapping):
        raise RuleFormatError(f"a deadline must be a mapping, not {raw!r}")
    if "cases" not in raw:
        return PhaseDeadline((DeadlineCase(None, parse_deadline_spec(raw)),))
    if set(raw) != {"cases"} or not isinstance(raw["cases"], list) or not raw["cases"]:
        raise RuleFormatError("'cases' must be the only key and hold a non-empty list")
    cases: list[DeadlineCase] = []
    for index, item in enumerate(raw["cases"]):
        if not isinstance(item, Mapping):
            raise RuleFormatError(f"case {index + 1} must be a mapping")
        body = {k: v for k, v in item.items() if k != "when"}
        when = parse_condition(item["when"]) if "when" in item else None
        cases.append(DeadlineCase(when, parse_deadline_spec(body)))
    if cases[-1].when is not None:
        raise RuleFormatError("the last case must have no 'when': it is the default")
    if any(case.when is None for case in cases[:-1]):
        raise RuleFormatError("only the last case may omit 'when'")
    return PhaseDeadline(tuple(cases))


def parse_deadline_spec(raw: Mapping[object, object]) -> DeadlineSpec:
    unknown = set(raw) - _SPEC_KEYS
    if unknown:
        raise RuleFormatError(
            f"unknown deadline key(s) {sorted(map(str, unknown))} (known: {sorted(_SPEC_KEYS)})"
        )
    trigger = _parse_trigger(raw.get("trigger"))
    within = raw.get("within")
    if within in ("promptly", "immediately"):
        if "indicative" not in raw:
            raise RuleFormatError(f"'{within}' needs an 'indicative' period, e.g. {{days: 3}}")
        timing = Timing(str(within))
        period = _parse_period(raw["indicative"])
    else:
        if "indicative" in raw:
            raise RuleFormatError("'indicative' only goes with promptly or immediately")
        timing = Timing.FIXED
        period = _parse_period(within)
    first_day = raw.get("first_day", "not_counted")
    if first_day not in ("counted", "not_counted"):
        raise RuleFormatError(f"'first_day' is counted or not_counted, not {first_day!r}")
    roll_forward = raw.get("roll_forward", False)
    if not isinstance(roll_forward, bool):
        raise RuleFormatError("'roll_forward' is true or false")
    calendar = raw.get("calendar", "government")
    if calendar not in _CALENDARS:
        raise RuleFormatError(f"'calendar' is government or holidays_only, not {calendar!r}")
    return DeadlineSpec(
        trigger,
        timing,
        period,
        first_day == "counted",
        roll_forward,
        holidays_only=calendar == "holidays_only",
    )


def _parse_trigger(raw: object) -> Trigger:
    try:
        return Trigger(str(raw))
    except ValueError:
        known = ", ".join(t.value for t in Trigger)
        raise RuleFormatError(f"unknown trigger {raw!r} (known: {known})") from None


def _parse_period(raw: object) -> Period:
    if not isinstance(raw, Mapping) or len(raw) != 1:
        raise RuleFormatError(
            f"a period is one of {{hours: N}}, {{days: N}}, {{business_days: N}}, not {raw!r}"
        )
    ((unit, amount),) = raw.items()
    if unit not in {u.value for u in Unit}:
        raise RuleFormatError(f"unknown period unit {unit!r} (use hours, days, business_days)")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
        raise RuleFormatError(f"a period needs a positive whole number, not {amount!r}")
    return Period(amount, Unit(str(unit)))


# --- computation --------------------------------------------------------------------------


def trigger_time(timeline: Timeline, trigger: Trigger) -> tuple[Trigger, datetime | None]:
    """The moment a clock starts, and which trigger supplied it.

    A missing ``determined`` falls back to ``aware``: the body cannot have known that an
    incident is reportable before it noticed it, so counting from awareness is never late.
    """
    if trigger is Trigger.DETERMINED and timeline.determined is None:
        return Trigger.AWARE, timeline.aware
    moment = {
        Trigger.AWARE: timeline.aware,
        Trigger.DETERMINED: timeline.determined,
        Trigger.APPROVED: timeline.approved,
        Trigger.SUBMITTED: timeline.submitted,
    }[trigger]
    return trigger, moment


def due_instant(
    spec: DeadlineSpec, start: datetime, *, calendar: BusinessCalendar = GOVERNMENT_CALENDAR
) -> datetime:
    """When a period that starts at ``start`` runs out, in Japan time."""
    start = to_jst(start)
    if spec.holidays_only:
        calendar = replace(calendar, closed_month_days=frozenset())
    amount = spec.period.amount
    if spec.period.unit is Unit.HOURS:
        return start + timedelta(hours=amount)
    first = start.date()
    if spec.period.unit is Unit.BUSINESS_DAYS:
        counted_today = spec.first_day_counted and is_business_day(first, calendar=calendar)
        last = add_business_days(first, amount - 1 if counted_today else amount, calendar=calendar)
        return end_of_day(last)
    last = add_days(first, amount - 1 if spec.first_day_counted else amount)
    if spec.roll_forward:
        last = next_business_day(last, include_today=True, calendar=calendar)
    return end_of_day(last)


def compute_due(
    spec: DeadlineSpec,
    timeline: Timeline,
    *,
    phase: Phase,
    rule_id: str,
    calendar: BusinessCalendar = GOVERNMENT_CALENDAR,
) -> Due:
    counted_from, start = trigger_time(timeline, spec.trigger)
    due_at = None if start is None else due_instant(spec, start, calendar=calendar)
    return Due(
        phase=phase,
        rule_id=rule_id,
        timing=spec.timing,
        period=spec.period,
        trigger=spec.trigger,
        counted_from=counted_from,
        trigger_at=None if start is None else to_jst(start),
        due_at=due_at,
    )
