"""Builders of facts and reporters for tests of routing and of what stands on it.

Kept in the package (like ``django.test``) so that the incidents app's own tests can build
the same reports without a copy of these helpers.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Final

from mamoru.core.jpcalendar import JST
from mamoru.incidents.routing.facts import (
    AffectedService,
    Category,
    IncidentFacts,
    PersonalData,
    ReporterContext,
    Timeline,
)

# 八王子市 in 東京都, and 東京都 itself.
MUNICIPALITY: Final = ReporterContext("132012", "八王子市", "130001", "東京都")
PREFECTURE: Final = ReporterContext("130001", "東京都", "130001", "東京都")


def jst(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=JST)


# A Wednesday with no holiday near it, so that default deadlines are easy to read.
DEFAULT_AWARE: Final = jst(2025, 11, 12)


def make_facts(
    *,
    category: Category = Category.SYSTEM_FAILURE,
    aware: datetime = DEFAULT_AWARE,
    determined: datetime | None = None,
    approved: datetime | None = None,
    submitted: datetime | None = None,
    services: tuple[str, ...] = (),
    personal_data: PersonalData | None = None,
    **fields: object,
) -> IncidentFacts:
    """A report with only what a test cares about; ``services`` are catalogue kinds."""
    timeline = Timeline(aware=aware, determined=determined, approved=approved, submitted=submitted)
    facts = IncidentFacts(
        category=category,
        timeline=timeline,
        services=tuple(AffectedService(kind) for kind in services),
        personal_data=personal_data,
    )
    return replace(facts, **fields)  # type: ignore[arg-type]  # checked by the dataclass


def leak(**fields: object) -> PersonalData:
    """Personal data that leaked; e.g. ``leak(people=101)`` or ``leak(sensitive=True)``."""
    return replace(PersonalData(kinds=("氏名", "住所")), **fields)  # type: ignore[arg-type]
