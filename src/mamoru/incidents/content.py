"""The content of one submitted incident report, as frozen records (no Django).

A submission (第一報, 続報, 確報) is immutable: the models store it as JSON made by
``to_dict`` and rebuild it with ``from_dict``. Every recipient, export and e-mail works on
a *view* cut by ``view_for``: only the sections the recipient's routing rule grants, and
never a TLP:RED section that does not name that recipient.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from mamoru.incidents.routing.codes import SECTIONS
from mamoru.incidents.routing.facts import IncidentFacts


class Phase(enum.StrEnum):
    PRELIMINARY = "preliminary"  # 第一報
    INTERIM = "interim"  # 続報
    FINAL = "final"  # 確報

    @property
    def label(self) -> str:
        return {"preliminary": "第一報", "interim": "続報", "final": "確報"}[self.value]


class Tlp(enum.StrEnum):
    """Traffic Light Protocol 2.0 (FIRST)."""

    CLEAR = "clear"
    GREEN = "green"
    AMBER = "amber"
    AMBER_STRICT = "amber+strict"
    RED = "red"

    @property
    def label(self) -> str:
        return f"TLP:{self.value.upper()}"


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    department: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class ReportContent:
    """What the reporter wrote: the routing facts, a title, and free text per section.

    ``sections`` keys are those of ``routing.codes.SECTIONS``. ``section_tlp`` overrides
    the report's marking per section; a section marked RED is shared only with the
    recipients listed for it in ``red_recipients`` (organisation codes).
    """

    facts: IncidentFacts
    title: str
    sections: dict[str, str] = field(default_factory=dict)
    contact: Contact | None = None
    tlp: Tlp = Tlp.AMBER
    section_tlp: dict[str, Tlp] = field(default_factory=dict)
    red_recipients: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = (set(self.sections) | set(self.section_tlp)) - set(SECTIONS)
        if unknown:
            raise ValueError(f"unknown report section(s): {', '.join(sorted(unknown))}")

    def marking(self, section: str) -> Tlp:
        return self.section_tlp.get(section, self.tlp)


@dataclass(frozen=True, slots=True)
class SubmissionView:
    """One submission as a given audience sees it (the reporter sees everything)."""

    report_id: str
    reporter_code: str
    reporter_name: str
    phase: Phase
    version: int  # 1, 2, 3… across the report's submissions
    submitted_at: datetime
    content: ReportContent
    approved_by: str = ""
    audience: str = ""  # recipient code the view was cut for; "" for the reporter
    withheld: tuple[str, ...] = ()  # sections left out of this view


def view_for(view: SubmissionView, *, recipient: str, granted: frozenset[str]) -> SubmissionView:
    """The view of ``recipient``: granted sections only, TLP:RED only where it is named."""
    content = view.content
    kept: dict[str, str] = {}
    withheld: list[str] = []
    for section, text in content.sections.items():
        red_excluded = content.marking(
            section
        ) == Tlp.RED and recipient not in content.red_recipients.get(section, ())
        if section in granted and not red_excluded:
            kept[section] = text
        else:
            withheld.append(section)
    contact = content.contact if "contact" in granted else None
    cut = replace(
        content,
        sections=kept,
        contact=contact,
        section_tlp={s: t for s, t in content.section_tlp.items() if s in kept},
        red_recipients={},
    )
    return replace(view, content=cut, audience=recipient, withheld=tuple(sorted(withheld)))


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (tuple, list, frozenset, set)):
        items = [_jsonable(v) for v in value]
        return sorted(items) if isinstance(value, (frozenset, set)) else items
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return {name: _jsonable(getattr(value, name)) for name in value.__dataclass_fields__}
    return value


def to_dict(content: ReportContent) -> dict[str, Any]:
    """A JSON-ready dict of ``content`` (the stored form of a submission)."""
    result: dict[str, Any] = _jsonable(content)
    return result
