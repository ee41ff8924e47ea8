"""Small-count suppression of one-dimensional count tables (no Django).

Primary suppression hides every cell from 1 to ``THRESHOLD - 1`` (a count that could point
at one municipality). Complementary suppression then stops differencing: when a table
shows its total, one hidden cell could be recomputed as the total minus the shown cells,
so while exactly one non-zero cell is hidden the smallest shown non-zero cell is hidden
too. A total below the threshold is itself hidden. Zero cells are shown: "none" names no
one, and hiding them would not protect a hidden cell (they add nothing to a sum).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

THRESHOLD: Final = 5
HIDDEN_TEXT: Final = f"<{THRESHOLD}"
# A cell of 5 or more hidden only so that a small one cannot be worked out from the total:
# saying "<5" there would be false, and would point at which cell is the small one.
WITHHELD_TEXT: Final = "秘匿"


@dataclass(frozen=True, slots=True)
class Cell:
    key: str
    label: str
    count: int | None  # None: suppressed
    small: bool = True  # when suppressed: True below the threshold, False hidden to protect one

    @property
    def display(self) -> str:
        if self.count is not None:
            return str(self.count)
        return HIDDEN_TEXT if self.small else WITHHELD_TEXT


@dataclass(frozen=True, slots=True)
class Table:
    cells: tuple[Cell, ...]
    total: int | None

    @property
    def total_display(self) -> str:
        return HIDDEN_TEXT if self.total is None else str(self.total)


def _primary(count: int) -> bool:
    return 0 < count < THRESHOLD


def suppress(counts: Mapping[str, int], labels: Mapping[str, str] | None = None) -> Table:
    """The table of ``counts`` (in the given key order) with small cells suppressed."""
    labels = labels or {}
    total = sum(counts.values())
    hidden = {key for key, count in counts.items() if _primary(count)}
    if len(hidden) == 1:
        shown = [(count, key) for key, count in counts.items() if key not in hidden and count > 0]
        if shown:
            hidden.add(min(shown)[1])
    cells = tuple(
        Cell(key, labels.get(key, key), None if key in hidden else count, _primary(count))
        for key, count in counts.items()
    )
    return Table(cells, None if _primary(total) else total)


def suppress_value(count: int) -> int | None:
    """A single published figure (a KPI): hidden when it is from 1 to ``THRESHOLD - 1``."""
    return None if _primary(count) else count
