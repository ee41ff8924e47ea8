"""Errors of the assessments library, in Japanese, naming exactly what is wrong and where.

A framework file is checked completely before it is refused: :class:`FrameworkError` holds
every problem found (not only the first), each as an :class:`Issue` that names the
framework (its URN, or the file when the URN itself is unusable), the item or section, and
the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in a framework or mapping document.

    ``item`` is the id of the assessable item (or ``None`` when the problem is not inside
    an item), ``section`` the id of the section around it, ``field`` the dotted path of the
    field inside the item or section (``guideline.chapter``), ``message`` what is wrong.
    """

    document: str
    message: str
    item: str | None = None
    section: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.document
        if self.item is not None:
            where += f" の項目 {self.item}"
        elif self.section is not None:
            where += f" のセクション {self.section}"
        if self.field:
            where += f" の {self.field}"
        return f"{where}: {self.message}"


class FrameworkError(ValueError):
    """A framework (or mapping) document is invalid; ``issues`` lists every problem."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        if not issues:
            raise ValueError("a FrameworkError needs at least one issue")
        self.issues = tuple(issues)
        head = f"フレームワークの定義に {len(self.issues)} 件の誤りがあります"
        super().__init__("\n".join([head, *(f"- {issue}" for issue in self.issues)]))


class AnswerError(ValueError):
    """Answers do not fit the framework (an unknown item or answer option)."""


class SnapshotError(ValueError):
    """A peer-statistics snapshot cannot be built from the records given."""
