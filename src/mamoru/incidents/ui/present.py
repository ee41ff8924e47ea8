"""What the templates show: report content, routing previews and deadlines as plain rows,
in the page's language and its one calendar style (``labels.when``).

No queries here: every function works on records a selector already returned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.utils import timezone
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
    Due,
    NoRuleSetError,
    RoutedRecipient,
    Timing,
    route,
    ruleset_for,
)
from mamoru.incidents.routing.codes import SECTIONS
from mamoru.incidents.routing.engine import routing_notes
from mamoru.incidents.selectors.diff import FACT_LABELS
from mamoru.incidents.ui import labels


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    marking: str = ""  # TLP label when it differs from the report's
    red: bool = False


def moment(value: datetime | str | None) -> str:
    return labels.when(value)


def _yes(value: object) -> str:
    return _("はい") if value else _("いいえ")


_FACT_NAMES: dict[str, Callable[[], str]] = {
    "category": lambda: _("インシデントの種別"),
    "cyber_attack": lambda: _("サイバー攻撃によるもの"),
    "timeline": lambda: _("日時"),
    "severity": lambda: _("深刻度"),
    "serious": lambda: _("重大インシデント"),
    "services": lambda: _("影響を受けた業務・サービス"),
    "segments": lambda: _("ネットワーク区分"),
    "personal_data": lambda: _("個人情報"),
    "police_consulted": lambda: _("警察への相談"),
    "publicly_announced": lambda: _("公表"),
    "contractor_involved": lambda: _("委託先の関与"),
}


def fact_name(name: str) -> str:
    return _FACT_NAMES[name]() if name in _FACT_NAMES else name


def _services(value: Sequence[Mapping[str, Any]]) -> str:
    return "、".join(service_label(s.get("name") or s.get("kind", "")) for s in value) or _("なし")


def service_label(kind: str) -> str:
    try:
        return ruleset_for(timezone.localdate()).services[kind].label
    except (NoRuleSetError, KeyError):
        return kind


_PERSONAL_FLAGS: dict[str, Callable[[], str]] = {
    "sensitive": lambda: _("要配慮個人情報"),
    "ordinance_sensitive": lambda: _("条例要配慮個人情報"),
    "my_number": lambda: _("マイナンバー"),
    "in_my_number_system": lambda: _("マイナンバー利用事務系のシステム"),
    "in_my_number_related_system": lambda: _("マイナンバー関係事務のシステム"),
    "in_contractor_system": lambda: _("委託先のシステム"),
    "financial_damage_risk": lambda: _("財産的被害のおそれ"),
    "improper_purpose": lambda: _("不正の目的のおそれ"),
    "improper_use": lambda: _("不正な利用のおそれ"),
    "improper_provision": lambda: _("不正な提供のおそれ"),
    "publicly_viewable": lambda: _("不特定多数が閲覧可能"),
    "high_grade_encryption": lambda: _("高度な暗号化あり"),
}


def _personal(value: Mapping[str, Any]) -> str:
    people = value.get("people")
    parts = ["、".join(value.get("kinds", [])) or _("項目未記入")]
    parts.append(
        _("本人の数: 未確定") if people is None else _("本人の数: %(n)s人") % {"n": people}
    )
    parts += [label() for key, label in _PERSONAL_FLAGS.items() if value.get(key)]
    return " / ".join(parts)


def _timeline(value: Mapping[str, Any]) -> str:
    names = {
        "started": _("発生"),
        "aware": _("認知"),
        "determined": _("報告対象と判明"),
        "contained": _("封じ込め"),
        "submitted": _("第一報の提出"),
    }
    return " / ".join(
        f"{label} {moment(value.get(k))}" for k, label in names.items() if value.get(k)
    )


def fact_value(name: str, value: Any) -> str:
    if value is None:
        return _("未記入（種別から判断）") if name == "cyber_attack" else _("なし")
    renderers: dict[str, Any] = {
        "category": lambda v: labels.label(labels.CATEGORIES, v),
        "severity": lambda v: labels.label(labels.SEVERITIES, v),
        "segments": lambda v: "、".join(labels.label(labels.SEGMENTS, s) for s in v) or _("なし"),
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
        Row(fact_name(name), fact_value(name, facts[name])) for name in FACT_LABELS if name in facts
    ]


def section_rows(content: ReportContent) -> list[Row]:
    """Written sections, each with its marking when it differs from the report's."""
    rows = []
    for section in SECTIONS:
        text = content.sections.get(section)
        if not text:
            continue
        marking = content.marking(section)
        differs = section in content.section_tlp and marking != content.tlp
        rows.append(
            Row(
                labels.label(labels.SECTIONS, section),
                text,
                marking.label if differs else "",
                marking == Tlp.RED,
            )
        )
    return rows


def red_names(content: ReportContent, names: Mapping[str, str]) -> list[Row]:
    """For the reporter: which recipients may read each TLP:RED section."""
    return [
        Row(
            labels.label(labels.SECTIONS, s),
            "、".join(labels.body_name(c, names.get(c, c)) for c in codes),
        )
        for s, codes in content.red_recipients.items()
        if content.marking(s) == Tlp.RED
    ]


def withheld_labels(withheld: Iterable[str]) -> list[str]:
    return [labels.label(labels.SECTIONS, s) for s in withheld]


# --- deadlines in words ------------------------------------------------------------------------


def _origin(due_rule: Due) -> str:
    return labels.label(labels.TRIGGERS, due_rule.counted_from.value)


def due_text(due_rule: Due | None) -> str:
    """A deadline as a person reads it: ``2026年1月8日 23:59まで``, or for a target
    ``速やかに（目安） — 2026年1月6日 17:00まで``; pending while its start is unknown."""
    if due_rule is None:
        return "—"
    if due_rule.due_at is None:
        return _("%(origin)sの日時が決まると決まります") % {"origin": _origin(due_rule)}
    until = _("%(when)sまで") % {"when": labels.when(due_rule.due_at)}
    if due_rule.timing is Timing.FIXED:
        return str(until)
    return f"{labels.label(labels.TIMINGS, due_rule.timing.value)} — {until}"


# --- routing preview ----------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewRow:
    code: str
    name: str
    reasons: list[str]
    preliminary: str
    final: str
    sections: str
    individual_notice: bool = False


@dataclass(frozen=True)
class Preview:
    notes: list[str]
    recipients: list[PreviewRow]
    error: str = ""
    ruleset_title: str = ""
    notice_bases: list[str] = field(default_factory=list)

    @property
    def codes(self) -> list[tuple[str, str]]:
        return [(r.code, r.name) for r in self.recipients]


def _preview_row(recipient: RoutedRecipient) -> PreviewRow:
    reasons = []
    for reason in recipient.reasons:
        kind = labels.label(labels.OBLIGATIONS, reason.obligation.value)
        matched = f" — {_('該当')}: {'、'.join(reason.matched)}" if reason.matched else ""
        reasons.append(f"{reason.label}（{kind}）{matched}")
    return PreviewRow(
        code=recipient.code,
        name=labels.body_name(recipient.code, recipient.name),
        reasons=reasons,
        preliminary=due_text(recipient.preliminary),
        final=due_text(recipient.final),
        sections="、".join(labels.label(labels.SECTIONS, s) for s in recipient.sections),
        individual_notice=any(r.individual_notice for r in recipient.reasons),
    )


def routing_preview(report: IncidentReport, *, first_submitted: datetime | None) -> Preview:
    """Who would receive the current draft, by when and why (``routing.route`` on it). The
    rule set is named by its title; its internal version code stays off the screen."""
    try:
        content = from_dict(report.draft)
        reporter = reporter_context(report.organisation)
        ruleset = ruleset_for(to_jst(report.created_at).date())
    except (ValueError, NotALocalGovernmentError, NoRuleSetError):
        return Preview([], [], _("報告の内容が不完全なため、宛先を判定できません。"))
    stamp = first_submitted or timezone.now()
    timeline = replace(content.facts.timeline, approved=stamp, submitted=stamp)
    facts = replace(content.facts, timeline=timeline)
    notes = [
        note
        for note in routing_notes(facts, reporter=reporter, ruleset=ruleset)
        if not note.startswith("適用ルール:")
    ]
    recipients = route(facts, reporter=reporter, ruleset=ruleset)
    bases = [r.individual_notice for rec in recipients for r in rec.reasons if r.individual_notice]
    return Preview(
        notes,
        [_preview_row(r) for r in recipients],
        ruleset_title=ruleset.title,
        notice_bases=list(dict.fromkeys(bases)),
    )


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


@dataclass(frozen=True)
class Banner:
    """A deadline the page warns about, in words."""

    overdue: bool
    recipient: str
    phase: str
    due_at: str


def banners(owed: Iterable[due.Owed], *, now: datetime | None = None) -> list[Banner]:
    """The overdue and due-soon deadlines among ``owed``, earliest first."""
    now = now or timezone.now()
    return [
        Banner(
            o.state(now=now) is due.State.OVERDUE,
            labels.body_name(o.recipient_code, o.recipient_name),
            labels.label(labels.PHASES, o.phase.value),
            labels.when(o.due_at),
        )
        for o in due.pressing(owed, now=now)
    ]


# --- comparing versions -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRow:
    label: str
    kind: str  # added | removed | changed
    before: str
    after: str


def _changed_value(key: str, value: Any) -> str:
    if value is None:
        return "—"
    head, _sep, name = key.partition(".")
    if head == "facts":
        return fact_value(name, value)
    if key == "tlp":
        return labels.label(labels.TLPS, value)
    if key == "contact" and isinstance(value, Mapping):
        return " ".join(str(v) for v in value.values() if v)
    return str(value)


def change_rows(changes: Iterable[Any]) -> list[ChangeRow]:
    """``selectors.Change`` records in words: each field's value before and after."""
    rows = []
    for change in changes:
        head, _sep, name = change.key.partition(".")
        if head == "facts":
            title = fact_name(name)
        elif head == "sections":
            title = labels.label(labels.SECTIONS, name)
        else:
            title = {"title": _("件名"), "tlp": "TLP", "contact": _("連絡先")}.get(
                change.key, change.label
            )
        rows.append(
            ChangeRow(
                title,
                change.kind,
                _changed_value(change.key, change.before),
                _changed_value(change.key, change.after),
            )
        )
    return rows
