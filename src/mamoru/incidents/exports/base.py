"""What every export format shares: the interface, and what a view lets an export show.

An exporter only ever receives views already cut by ``content.view_for``. The helpers here
decide, from the view alone, which sections and which facts an export may print, so that
no format re-adds something the cut left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol

from mamoru.core.jpcalendar import format_wareki, to_jst
from mamoru.incidents.content import SubmissionView, Tlp
from mamoru.incidents.routing.codes import SECTIONS


class Exporter(Protocol):
    """One export format. ``render`` takes one or more views and returns the file's bytes."""

    @property
    def name(self) -> str: ...

    @property
    def media_type(self) -> str: ...

    @property
    def file_extension(self) -> str: ...

    def render(self, views: Sequence[SubmissionView]) -> bytes: ...


class ExportError(ValueError):
    """An export that cannot be made from what was given (e.g. no view at all)."""


def require_views(views: Sequence[SubmissionView]) -> Sequence[SubmissionView]:
    if not views:
        raise ExportError("nothing to export: no submission was given")
    return views


def is_shared(view: SubmissionView, section: str) -> bool:
    """True when ``view`` may show ``section``'s text and the facts that belong to it.

    Facts follow their section: a recipient whose view withholds "personal_data" must not
    learn the number of people from a structured field either.
    """
    return section not in view.withheld


def section_text(view: SubmissionView, section: str) -> str:
    """The reporter's text for ``section`` in this view, or "" (not written or withheld)."""
    if not is_shared(view, section):
        return ""
    return view.content.sections.get(section, "").strip()


def section_marking(view: SubmissionView, section: str) -> Tlp:
    return view.content.marking(section)


def withheld_labels(view: SubmissionView) -> list[str]:
    return [SECTIONS[s] for s in SECTIONS if s in view.withheld]


# --- dates ---------------------------------------------------------------------------------


def western_datetime(moment: datetime) -> str:
    """``2025年11月12日 10:00`` in Japan time."""
    local = to_jst(moment)
    return f"{local.year}年{local.month}月{local.day}日 {local.hour:02d}:{local.minute:02d}"


def dual_datetime(moment: datetime) -> str:
    """Western calendar first, 和暦 in parentheses: ``2025年11月12日 10:00（令和7年11月12日）``."""
    return f"{western_datetime(moment)}（{format_wareki(to_jst(moment).date())}）"


# --- TLP 2.0 -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TlpStyle:
    """How FIRST's TLP 2.0 standard prints a label: coloured text on a black background."""

    foreground: str
    meaning: str


TLP_STYLES: Final[dict[Tlp, TlpStyle]] = {
    Tlp.RED: TlpStyle("#FF2B2B", "受領者個人限り。受領者の組織内でも共有不可"),
    Tlp.AMBER_STRICT: TlpStyle("#FFC000", "受領者の組織内でのみ共有可"),
    Tlp.AMBER: TlpStyle("#FFC000", "受領者の組織内及びその顧客（委託先等）に必要な範囲で共有可"),
    Tlp.GREEN: TlpStyle("#33FF00", "受領者のコミュニティ内で共有可。公開は不可"),
    Tlp.CLEAR: TlpStyle("#FFFFFF", "公開可"),
}

# Printed for an item the reporter has not answered yet, and for one this view withholds.
UNDER_INVESTIGATION: Final = "調査中"
NOT_SHARED: Final = "（この版では共有されていません）"
