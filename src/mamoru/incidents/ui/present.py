"""What the templates show: report content, routing previews and deadlines as plain rows.

No queries here: every function works on records a selector already returned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from mamoru.core.jpcalendar import to_jst
from mamoru.incidents import due
from mamoru.incidents.content import ReportContent, Tlp, from_dict
from mamoru.incidents.models import Delivery, IncidentReport
from mamoru.incidents.records import (
    NotALocalGovernmentError,
    draft_content,
    reporter_context,
)
from mamoru.incidents.routing import (
    Category,
    NoRuleSetError,
    RoutedRecipient,
    Segment,
    Severity,
    route,
    ruleset_for,
)
from mamoru.incidents.routing.codes import SECTIONS
from mamoru.incidents.routing.engine import routing_notes
from mamoru.incidents.selectors.diff import FACT_LABELS


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    marking: str = ""  # TLP label when it differs from the report's
    red: bool = False


def moment(value: datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return date_format(localtime(when), "Y年n月j日 H:i")


def _yes(value: object) -> str:
    return _("はい") if value else _("いいえ")


def _services(value: Sequence[Mapping[str, Any]]) -> str:
    names = [s.get("name") or s.get("kind", "") for s in value]
    return "、".join(_service_label(n) for n in names) or _("なし")


def _service_label(kind: str) -> str:
    try:
        return ruleset_for(timezone.localdate()).services[kind].label
    except (NoRuleSetError, KeyError):
        return kind


def _personal(value: Mapping[str, Any]) -> str:
    people = value.get("people")
    parts = ["、".join(value.get("kinds", [])) or _("項目未記入")]
    parts.append(
        _("本人の数: 未確定") if people is None else _("本人の数: %(n)s人") % {"n": people}
    )
    flags = {
        "sensitive": _("要配慮個人情報"),
        "ordinance_sensitive": _("条例要配慮個人情報"),
        "my_number": _("マイナンバー"),
        "in_my_number_system": _("マイナンバー利用事務系のシステム"),
        "financial_damage_risk": _("財産的被害のおそれ"),
        "improper_purpose": _("不正の目的のおそれ"),
        "publicly_viewable": _("不特定多数が閲覧可能"),
        "high_grade_encryption": _("高度な暗号化あり"),
    }
    parts += [label for key, label in flags.items() if value.get(key)]
    return " / ".join(parts)


def _timeline(value: Mapping[str, Any]) -> str:
    labels = {
        "started": _("発生"),
        "aware": _("認知"),
        "determined": _("報告対象と判明"),
        "contained": _("封じ込め"),
        "submitted": _("第一報の提出"),
    }
    return " / ".join(
        f"{label} {moment(value.get(k))}" for k, label in labels.items() if value.get(k)
    )


def _fact_value(name: str, value: Any) -> str:
    if value is None:
        return _("未記入（種別から判断）") if name == "cyber_attack" else _("なし")
    renderers: dict[str, Any] = {
        "category": lambda v: Category(v).label,
        "severity": lambda v: Severity(v).label,
        "segments": lambda v: "、".join(Segment(s).label for s in v) or _("なし"),
        "services": _services,
        "personal_data": _personal,
        "timeline": _timeline,
    }
    if name in renderers:
        return str(renderers[name](value))
    return _yes(value) if isinstance(value, bool) else str(value)


def fact_rows(facts: Mapping[str, Any]) -> list[Row]:
    """The structured facts, labelled, in a fixed order; missing (withheld) facts omitted."""
    return [
        Row(str(label), _fact_value(name, facts[name]))
        for name, label in FACT_LABELS.items()
        if name in facts
    ]


def section_rows(content: ReportContent) -> list[Row]:
    """Written sections, each with its marking when it differs from the report's."""
    rows = []
    for section, label in SECTIONS.items():
        text = content.sections.get(section)
        if not text:
            continue
        marking = content.marking(section)
        differs = section in content.section_tlp and marking != content.tlp
        rows.append(Row(label, text, marking.label if differs else "", marking == Tlp.RED))
    return rows


def red_names(content: ReportContent, names: Mapping[str, str]) -> list[Row]:
    """For the reporter: which recipients may read each TLP:RED section."""
    return [
        Row(SECTIONS[s], "、".join(names.get(c, c) for c in codes))
        for s, codes in content.red_recipients.items()
        if content.marking(s) == Tlp.RED
    ]


def withheld_labels(withheld: Iterable[str]) -> list[str]:
    return [SECTIONS.get(s, s) for s in withheld]


# --- routing preview ----------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewRow:
    name: str
    reasons: list[str]
    preliminary: str
    final: str
    sections: str


@dataclass(frozen=True)
class Preview:
    notes: list[str]
    recipients: list[PreviewRow]
    error: str = ""


def _preview_row(recipient: RoutedRecipient) -> PreviewRow:
    reasons = []
    for reason in recipient.reasons:
        matched = f" — {_('該当')}: {'、'.join(reason.matched)}" if reason.matched else ""
        reasons.append(f"{reason.label}（{reason.obligation.label}）{matched}")
    return PreviewRow(
        name=recipient.name,
        reasons=reasons,
        preliminary=recipient.preliminary.text if recipient.preliminary else "—",
        final=recipient.final.text if recipient.final else "—",
        sections="、".join(SECTIONS[s] for s in recipient.sections),
    )


def routing_preview(report: IncidentReport, *, first_submitted: datetime | None) -> Preview:
    """Who would receive the current draft, by when and why (``routing.route`` on it)."""
    try:
        content = from_dict(report.draft)
        reporter = reporter_context(report.organisation)
        ruleset = ruleset_for(to_jst(report.created_at).date())
    except (ValueError, NotALocalGovernmentError, NoRuleSetError):
        return Preview([], [], _("報告の内容が不完全なため、宛先を判定できません。"))
    stamp = first_submitted or timezone.now()
    timeline = replace(content.facts.timeline, approved=stamp, submitted=stamp)
    facts = replace(content.facts, timeline=timeline)
    notes = routing_notes(facts, reporter=reporter, ruleset=ruleset)
    recipients = route(facts, reporter=reporter, ruleset=ruleset)
    return Preview(notes, [_preview_row(r) for r in recipients])


def draft_or_none(report: IncidentReport) -> ReportContent | None:
    """The report's draft (``records.draft_content``), or None for a draft that no longer
    parses (a page still shows the report, without its rows)."""
    try:
        return draft_content(report)
    except ValueError:
        return None


# --- deadlines ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryRow:
    delivery: Delivery
    overdue: bool
    due_soon: bool


def is_overdue(delivery: Delivery, *, now: datetime | None = None) -> bool:
    return due.is_overdue(delivery, now=now or timezone.now())


def delivery_rows(deliveries: Iterable[Delivery], *, soon: datetime) -> list[DeliveryRow]:
    now = timezone.now()
    return [
        DeliveryRow(
            d,
            is_overdue(d, now=now),
            d.next_due_at is not None and now <= d.next_due_at <= soon,
        )
        for d in deliveries
    ]
