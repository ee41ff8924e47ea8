"""Routing: from the facts of a report to its recipients, what each may see, and by when.

``route`` applies every rule of a rule set to the facts. Several rules may name one
recipient (e.g. PPC under APPI §68 and under the My Number Act): they are merged into one
:class:`RoutedRecipient` that keeps every reason, the union of the granted sections, and per
phase the earliest deadline.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from mamoru.core.jpcalendar import GOVERNMENT_CALENDAR, BusinessCalendar
from mamoru.incidents.routing.codes import (
    MINISTRY,
    NATIONAL_BODIES,
    PREFECTURE,
    SECTIONS,
    Obligation,
    Phase,
    Trigger,
)
from mamoru.incidents.routing.conditions import ResolvedService, Scope, holds, reasons
from mamoru.incidents.routing.deadlines import Due, compute_due
from mamoru.incidents.routing.facts import IncidentFacts, ReporterContext
from mamoru.incidents.routing.ruleset import Rule, RuleSet


class RecipientKind(enum.StrEnum):
    PREFECTURE = "prefecture"
    NATIONAL = "national"


@dataclass(frozen=True, slots=True)
class RouteReason:
    """One rule that sends the report to a recipient, with its own deadlines."""

    rule_id: str
    label: str
    basis: str
    obligation: Obligation
    form: str | None
    matched: tuple[str, ...]  # the facts that met the rule's condition, in Japanese
    preliminary: Due | None
    final: Due | None
    individual_notice: str | None = None  # basis of the duty to tell the people, if any


@dataclass(frozen=True, slots=True)
class RoutedRecipient:
    """A body that must receive the report. ``code`` is a national body code (``PPC``) or the
    6-digit local government code of the reporter's prefecture."""

    code: str
    name: str
    kind: RecipientKind
    reasons: tuple[RouteReason, ...]
    sections: tuple[str, ...]
    preliminary: Due | None
    final: Due | None

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(r.rule_id for r in self.reasons)

    @property
    def forms(self) -> tuple[str, ...]:
        return tuple(r.form for r in self.reasons if r.form is not None)

    def due(self, phase: Phase) -> Due | None:
        return self.preliminary if phase is Phase.PRELIMINARY else self.final


@dataclass(frozen=True, slots=True)
class _Target:
    code: str
    name: str
    kind: RecipientKind
    services: tuple[ResolvedService, ...] = ()  # for @ministry: the services it is in charge of


def resolve_services(facts: IncidentFacts, ruleset: RuleSet) -> tuple[ResolvedService, ...]:
    """The affected services with ministry and critical-infrastructure flag from the catalogue
    of ``ruleset``, unless the report states them."""
    resolved = []
    for service in facts.services:
        entry = ruleset.services.get(service.kind)
        ministry = service.ministry
        if ministry is None and entry is not None:
            ministry = entry.ministry
        critical = service.critical_infrastructure
        if critical is None:
            critical = entry.critical_infrastructure if entry is not None else False
        name = service.name or (entry.label if entry is not None else service.kind)
        resolved.append(ResolvedService(service.kind, name, ministry, critical, service.segment))
    return tuple(resolved)


def _targets(rule: Rule, reporter: ReporterContext, scope: Scope) -> list[_Target]:
    if rule.recipient == PREFECTURE:
        if reporter.is_prefecture:  # a prefecture does not report to itself
            return []
        code, name = reporter.prefecture_lg_code, reporter.prefecture_name
        return [_Target(code, name, RecipientKind.PREFECTURE)]
    if rule.recipient == MINISTRY:
        ministries = dict.fromkeys(s.ministry for s in scope.services if s.ministry is not None)
        return [
            _Target(
                code,
                NATIONAL_BODIES[code],
                RecipientKind.NATIONAL,
                tuple(s for s in scope.services if s.ministry == code),
            )
            for code in ministries
        ]
    return [_Target(rule.recipient, NATIONAL_BODIES[rule.recipient], RecipientKind.NATIONAL)]


def _reason(rule: Rule, target: _Target, scope: Scope, calendar: BusinessCalendar) -> RouteReason:
    matched = reasons(rule.when, scope)
    if target.services:
        matched += tuple(f"{s.display_name}（所管: {target.name}）" for s in target.services)
    dues: dict[Phase, Due | None] = {}
    for phase in Phase:
        deadline = rule.deadline(phase)
        dues[phase] = (
            None
            if deadline is None
            else compute_due(
                deadline.spec_for(scope),
                scope.facts.timeline,
                phase=phase,
                rule_id=rule.id,
                calendar=calendar,
            )
        )
    return RouteReason(
        rule_id=rule.id,
        label=rule.label,
        basis=rule.basis,
        obligation=rule.obligation,
        form=rule.form,
        matched=matched,
        preliminary=dues[Phase.PRELIMINARY],
        final=dues[Phase.FINAL],
        individual_notice=rule.individual_notice,
    )


def _earliest(dues: Sequence[Due | None]) -> Due | None:
    known = [d for d in dues if d is not None]
    return min(known, key=Due.sort_key) if known else None


def _merge(target: _Target, found: Sequence[tuple[Rule, RouteReason]]) -> RoutedRecipient:
    granted = {section for rule, _ in found for section in rule.grants}
    return RoutedRecipient(
        code=target.code,
        name=target.name,
        kind=target.kind,
        reasons=tuple(reason for _, reason in found),
        sections=tuple(s for s in SECTIONS if s in granted),
        preliminary=_earliest([reason.preliminary for _, reason in found]),
        final=_earliest([reason.final for _, reason in found]),
    )


def route(
    facts: IncidentFacts,
    *,
    reporter: ReporterContext,
    ruleset: RuleSet,
    calendar: BusinessCalendar = GOVERNMENT_CALENDAR,
) -> list[RoutedRecipient]:
    """Every body that must receive the report, in the order the rule set first names them."""
    scope = Scope(facts, resolve_services(facts, ruleset))
    targets: dict[str, _Target] = {}
    found: dict[str, list[tuple[Rule, RouteReason]]] = {}
    for rule in ruleset.rules:
        if not holds(rule.when, scope):
            continue
        for target in _targets(rule, reporter, scope):
            targets.setdefault(target.code, target)
            found.setdefault(target.code, []).append((rule, _reason(rule, target, scope, calendar)))
    return [_merge(targets[code], found[code]) for code in targets]


def individual_notice_bases(recipients: Sequence[RoutedRecipient]) -> tuple[str, ...]:
    """The legal bases of the duty to notify the people whose data it is (本人への通知), one
    per rule that imposes it; empty when no routed rule does. The duty stands beside the
    report to PPC and in the same cases (個人情報保護法第68条第2項, 番号法第29条の4第2項)."""
    bases = (r.individual_notice for rec in recipients for r in rec.reasons)
    return tuple(dict.fromkeys(b for b in bases if b is not None))


# --- explanation --------------------------------------------------------------------------


def describe_recipient(recipient: RoutedRecipient) -> list[str]:
    """Japanese lines that say why ``recipient`` receives the report and by when."""
    lines = [f"■ {recipient.name}"]
    for reason in recipient.reasons:
        form = f"（様式: {reason.form}）" if reason.form else ""
        lines.append(f"  ・{reason.label}{form} — {reason.obligation.label}")
        lines.append(f"    根拠: {reason.basis}")
        if reason.matched:
            lines.append(f"    該当: {'、'.join(reason.matched)}")
    for phase in Phase:
        due = recipient.due(phase)
        if due is not None:
            lines.append(f"  期限 {phase.label}: {due.text}")
    lines.append("  開示する項目: " + "、".join(SECTIONS[s] for s in recipient.sections))
    return lines


def routing_notes(
    facts: IncidentFacts, *, reporter: ReporterContext, ruleset: RuleSet
) -> list[str]:
    """Things the reporter should know that are not a recipient: gaps that affect routing."""
    notes = [f"適用ルール: {ruleset.title}（{ruleset.version}、{ruleset.effective_from}施行）"]
    if reporter.is_prefecture:
        notes.append("報告者が都道府県のため、都道府県への報告先は設定されません。")
    for service in resolve_services(facts, ruleset):
        if service.ministry is None:
            notes.append(
                f"「{service.display_name}」の所管省庁が不明のため、所管省庁への報告先を"
                "決められません。業務の種類を確認してください。"
            )
    if facts.timeline.determined is None:
        notes.append(
            f"「{Trigger.DETERMINED.label}」が未記録のため、それを起点とする期限は"
            f"「{Trigger.AWARE.label}」から数えています。"
        )
    if facts.personal_data is not None and facts.personal_data.people_unknown:
        notes.append(
            "本人の数が未確定のため、100人を超える漏えい等の「おそれ」があるものとして扱って"
            "います（個人情報保護法施行規則第43条第4号）。数え終えたら入力してください。"
        )
    if facts.personal_data is not None and facts.personal_data.my_number_people_unknown:
        notes.append(
            "個人番号を含む本人の数が未確定のため、100人を超える「おそれ」があるものとして"
            "扱っています（特定個人情報の漏えい等に関する報告等に関する規則第2条第4号）。"
        )
    return notes


def explain(
    facts: IncidentFacts,
    *,
    reporter: ReporterContext,
    ruleset: RuleSet,
    calendar: BusinessCalendar = GOVERNMENT_CALENDAR,
) -> list[str]:
    """The routing of a report as Japanese text: recipients, reasons, deadlines and notes."""
    lines = routing_notes(facts, reporter=reporter, ruleset=ruleset)
    recipients = route(facts, reporter=reporter, ruleset=ruleset, calendar=calendar)
    if not recipients:
        lines.append("このインシデントの報告先はありません。")
    for recipient in recipients:
        lines.extend(describe_recipient(recipient))
    bases = individual_notice_bases(recipients)
    if bases:
        lines.append(
            "■ 本人への通知: 漏えい等した情報の本人に、速やかに通知する義務があります"
            f"（{'、'.join(bases)}）。"
        )
    return lines
