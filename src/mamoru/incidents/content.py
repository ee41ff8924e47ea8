"""The content of one submitted incident report, as frozen records (no Django).

A submission (第一報, 続報, 確報) is immutable: the models store it as JSON made by
``to_dict`` and rebuild it with ``from_dict``. Every recipient, export and e-mail works on
a *view* cut by ``view_for``: only the sections the recipient's routing rule grants, and
never a TLP:RED section that does not name that recipient.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Final, TypeVar

from mamoru.core.jpcalendar import EARLIEST, LATEST
from mamoru.incidents.routing.codes import SECTIONS
from mamoru.incidents.routing.facts import (
    AffectedService,
    Category,
    IncidentFacts,
    PersonalData,
    Segment,
    Severity,
    Timeline,
)

_E = TypeVar("_E", bound=enum.Enum)


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
    # Sections this audience may not see: every section not granted to it (written or not,
    # so the facts behind it are hidden too) and every TLP:RED section not naming it.
    withheld: tuple[str, ...] = ()


# Which facts belong to which section: a recipient sees a fact only with its section, so a
# section it may not see takes its facts with it (even a section the reporter wrote no text
# for, and the contact, whose marking is the ``contact`` section's).
FACT_SECTIONS: Final[dict[str, str]] = {
    "category": "category",
    "cyber_attack": "category",
    "timeline": "timeline",
    "services": "services",
    "segments": "systems",
    "personal_data": "personal_data",
    "police_consulted": "police",
    "publicly_announced": "announcement",
    "contractor_involved": "contractor",
    "severity": "overview",
    "serious": "overview",
}


def visible_sections(
    content: ReportContent, *, recipient: str, granted: frozenset[str]
) -> frozenset[str]:
    """THE rule of what a recipient may see of a report: the sections its routing rule
    grants, minus every section marked TLP:RED (by itself, or by the report's own marking)
    that does not name the recipient. Every channel renders from ``view_for``, which applies
    this and nothing else."""
    return frozenset(
        section
        for section in granted
        if section in SECTIONS
        and (
            content.marking(section) != Tlp.RED
            or recipient in content.red_recipients.get(section, ())
        )
    )


def _redacted_facts(facts: IncidentFacts, shown: frozenset[str], when: datetime) -> IncidentFacts:
    """``facts`` with every fact of a section not ``shown`` replaced by an empty value, so no
    channel can print it by mistake (the view's ``withheld`` says which are missing; the
    timeline's only required moment becomes the submission time, which the recipient knows)."""
    keep = {name for name, section in FACT_SECTIONS.items() if section in shown}
    changes: dict[str, Any] = {}
    empty: dict[str, Any] = {
        "category": Category.OTHER,
        "cyber_attack": None,
        "timeline": Timeline(aware=when),
        "services": (),
        "segments": frozenset(),
        "personal_data": None,
        "police_consulted": False,
        "publicly_announced": False,
        "contractor_involved": False,
        "severity": Severity.MEDIUM,
        "serious": False,
    }
    for name, value in empty.items():
        if name not in keep:
            changes[name] = value
    return replace(facts, **changes)


def view_for(view: SubmissionView, *, recipient: str, granted: frozenset[str]) -> SubmissionView:
    """The view of ``recipient``: what ``visible_sections`` lets it see, and nothing else —
    texts, facts, contact and markings of every other section are removed here, so that the
    API, the pages, the diffs, every export format, e-mail and statistics (which all render
    from this view) cannot show them."""
    content = view.content
    shown = visible_sections(content, recipient=recipient, granted=granted)
    cut = replace(
        content,
        facts=_redacted_facts(content.facts, shown, view.submitted_at),
        sections={s: text for s, text in content.sections.items() if s in shown},
        contact=content.contact if "contact" in shown else None,
        section_tlp={s: t for s, t in content.section_tlp.items() if s in shown},
        red_recipients={},
    )
    withheld = tuple(s for s in SECTIONS if s not in shown)
    return replace(view, content=cut, audience=recipient, withheld=withheld)


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


# --- reading the stored form back ---------------------------------------------------------


class ContentError(ValueError):
    """Stored or submitted content that is not a valid report; ``path`` names the field."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


def _field(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], path: str) -> Any:
    if key not in data:
        raise ContentError(f"{path}{key}", "必須の項目です")
    value = data[key]
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise ContentError(f"{path}{key}", "値の型が正しくありません")
    if not isinstance(value, kind):
        raise ContentError(f"{path}{key}", "値の型が正しくありません")
    return value


def _optional(data: Mapping[str, Any], key: str, kind: type, path: str, default: Any) -> Any:
    if data.get(key) is None:
        return default
    return _field(data, key, kind, path)


def _mapping(value: object, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ContentError(path.rstrip("."), "オブジェクトである必要があります")
    return value


def _enum(enum_type: type[_E], value: object, path: str) -> _E:
    try:
        return enum_type(value)
    except ValueError:
        known = "、".join(str(member.value) for member in enum_type)
        raise ContentError(path, f"次のいずれかを指定してください: {known}") from None


def _moment(value: object, path: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ContentError(path, "日時はISO 8601の文字列で指定してください")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ContentError(path, "日時の形式が正しくありません（ISO 8601）") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ContentError(path, "日時にはタイムゾーン（例: +09:00）が必要です")
    if not EARLIEST <= moment < LATEST:
        raise ContentError(path, "日時は1990年1月1日から2099年12月31日までで入力してください")
    return moment


def _strings(value: object, path: str) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ContentError(path, "文字列の一覧である必要があります")
    return tuple(value)


def _bools(data: Mapping[str, Any], names: Iterable[str], path: str) -> dict[str, bool]:
    return {name: _optional(data, name, bool, path, False) for name in names}


def _timeline(raw: object) -> Timeline:
    data = _mapping(raw, "facts.timeline.")
    moments = {
        name: _moment(data.get(name), f"facts.timeline.{name}")
        for name in ("started", "determined", "contained", "approved", "submitted")
    }
    aware = _moment(_field(data, "aware", str, "facts.timeline."), "facts.timeline.aware")
    assert aware is not None  # _field guarantees a string, _moment a datetime
    return Timeline(aware=aware, **moments)


def _service(raw: object, index: int) -> AffectedService:
    path = f"facts.services.{index}."
    data = _mapping(raw, path)
    segment = data.get("segment")
    critical = data.get("critical_infrastructure")
    if critical is not None and not isinstance(critical, bool):
        raise ContentError(f"{path}critical_infrastructure", "真偽値で指定してください")
    return AffectedService(
        kind=_field(data, "kind", str, path),
        name=_optional(data, "name", str, path, ""),
        ministry=_optional(data, "ministry", str, path, None),
        critical_infrastructure=critical,
        segment=None if segment is None else _enum(Segment, segment, f"{path}segment"),
    )


_PERSONAL_DATA_FLAGS: Final = (
    "sensitive",
    "ordinance_sensitive",
    "financial_damage_risk",
    "improper_purpose",
    "my_number",
    "in_my_number_system",
    "publicly_viewable",
    "high_grade_encryption",
    "in_my_number_related_system",
    "in_contractor_system",
    "improper_use",
    "improper_provision",
)


def _personal_data(raw: object) -> PersonalData | None:
    if raw is None:
        return None
    path = "facts.personal_data."
    data = _mapping(raw, path)
    people = _optional(data, "people", int, path, None)
    my_number_people = _optional(data, "my_number_people", int, path, None)
    for name, count in (("people", people), ("my_number_people", my_number_people)):
        if count is not None and count < 0:
            raise ContentError(f"{path}{name}", "0以上の数を入力してください")
    if people is not None and my_number_people is not None and my_number_people > people:
        raise ContentError(
            f"{path}my_number_people", "個人番号を含む本人の数は、本人の数以下にしてください"
        )
    return PersonalData(
        kinds=_strings(data.get("kinds", []), f"{path}kinds"),
        people=people,
        my_number_people=my_number_people,
        **_bools(data, _PERSONAL_DATA_FLAGS, path),
    )


def facts_from_dict(raw: object) -> IncidentFacts:
    """:class:`IncidentFacts` from their ``to_dict`` form; :class:`ContentError` if invalid."""
    data = _mapping(raw, "facts.")
    path = "facts."
    services = _optional(data, "services", list, path, [])
    cyber_attack = data.get("cyber_attack")
    if cyber_attack is not None and not isinstance(cyber_attack, bool):
        raise ContentError("facts.cyber_attack", "真偽値で指定してください")
    return IncidentFacts(
        category=_enum(Category, _field(data, "category", str, path), "facts.category"),
        timeline=_timeline(_field(data, "timeline", Mapping, path)),
        severity=_enum(Severity, data.get("severity", Severity.MEDIUM.value), "facts.severity"),
        cyber_attack=cyber_attack,
        services=tuple(_service(s, i) for i, s in enumerate(services)),
        segments=frozenset(
            _enum(Segment, s, "facts.segments")
            for s in _strings(data.get("segments", []), "facts.segments")
        ),
        personal_data=_personal_data(data.get("personal_data")),
        **_bools(
            data,
            ("serious", "police_consulted", "publicly_announced", "contractor_involved"),
            path,
        ),
    )


def _contact(raw: object) -> Contact | None:
    if raw is None:
        return None
    data = _mapping(raw, "contact.")
    return Contact(
        name=_field(data, "name", str, "contact."),
        **{k: _optional(data, k, str, "contact.", "") for k in ("department", "phone", "email")},
    )


def from_dict(raw: object) -> ReportContent:
    """The inverse of :func:`to_dict`: ``from_dict(to_dict(c)) == c``.

    Also the first check of what a reporter submits: every problem raises
    :class:`ContentError` (a ``ValueError``) naming the field, with a Japanese message;
    the records' own checks (e.g. a timeline out of order) raise plain ``ValueError``.
    """
    data = _mapping(raw, "")
    sections = _mapping(data.get("sections", {}), "sections.")
    for key, text in sections.items():
        if not isinstance(text, str):
            raise ContentError(f"sections.{key}", "文字列で指定してください")
    section_tlp = _mapping(data.get("section_tlp", {}), "section_tlp.")
    red = _mapping(data.get("red_recipients", {}), "red_recipients.")
    return ReportContent(
        facts=facts_from_dict(_field(data, "facts", Mapping, "")),
        title=_field(data, "title", str, ""),
        sections=dict(sections),
        contact=_contact(data.get("contact")),
        tlp=_enum(Tlp, data.get("tlp", Tlp.AMBER.value), "tlp"),
        section_tlp={k: _enum(Tlp, v, f"section_tlp.{k}") for k, v in section_tlp.items()},
        red_recipients={k: _strings(v, f"red_recipients.{k}") for k, v in red.items()},
    )


# --- warnings that do not block a report --------------------------------------------------

# When the moment the body knew a reportable fact is this long after someone noticed the
# incident, it is likely to be the date a manager decided rather than the moment a member of
# staff knew (Q&A（行政機関等編）Q3-4-1: the clock starts when any member of staff knew). Three
# days is the short end of the PPC guideline's 3–5 day target for the first report.
DETERMINED_LATE_AFTER: Final = timedelta(days=3)


@dataclass(frozen=True, slots=True)
class ContentWarning:
    """Something the reporter should check; ``path`` names the field as errors do."""

    path: str
    message: str


def content_warnings(content: ReportContent) -> list[ContentWarning]:
    """Warnings about ``content`` that do not stop it being saved or submitted (Japanese)."""
    timeline = content.facts.timeline
    warnings: list[ContentWarning] = []
    if timeline.determined is not None and timeline.determined - timeline.aware > (
        DETERMINED_LATE_AFTER
    ):
        warnings.append(
            ContentWarning(
                "facts.timeline.determined",
                "「報告が必要な事態だと職員が知った日時」が、気づいた日時の3日より後です。"
                "期限は、職員のだれかが報告の必要な事実（例: 個人情報が漏れたおそれ、"
                "100人を超えること）を知った時点から数えます。上司やCISOが判断した日時"
                "ではありません。正しいか確かめてください。",
            )
        )
    data = content.facts.personal_data
    if data is not None and data.people is None:
        warnings.append(
            ContentWarning(
                "facts.personal_data.people",
                "本人の数が未入力のため、100人を超えるおそれがあるものとして個人情報保護"
                "委員会への報告先に含めています。数え終えたら入力してください。",
            )
        )
    return warnings
