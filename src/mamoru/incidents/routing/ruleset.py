"""Rule sets: dated YAML files that say who receives a report, what they see, and by when.

A report is judged by the rule set in force on the day it was made, so rule files are never
edited once in force: a change of law is a new file ``routing-<effective_from>.yaml``.
Every file is validated completely on load; any mistake raises :class:`RuleSetError`
naming the file and the rule.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Final

import yaml

from mamoru.core.jpcalendar import to_jst
from mamoru.incidents.routing.codes import (
    NATIONAL_BODIES,
    RECIPIENT_CODES,
    SECTIONS,
    Obligation,
    Phase,
)
from mamoru.incidents.routing.conditions import Condition, RuleFormatError, parse_condition
from mamoru.incidents.routing.deadlines import PhaseDeadline, parse_phase_deadline

SCHEMA: Final = "mamoru.incidents.routing/1"
RULES_DIR: Final = Path(__file__).resolve().parent.parent / "rules"
_FILE_NAME: Final = re.compile(r"^routing-(\d{4}-\d{2}-\d{2})\.yaml$")
_RULE_ID: Final = re.compile(r"^[a-z0-9][a-z0-9-]*$")

_TOP_KEYS: Final = frozenset({"schema", "effective_from", "revision", "title", "services", "rules"})
_RULE_KEYS: Final = frozenset(
    {
        "id",
        "label",
        "recipient",
        "obligation",
        "basis",
        "form",
        "when",
        "grants",
        "deadlines",
        "individual_notice",
    }
)
_REQUIRED_RULE_KEYS: Final = frozenset(
    {"id", "label", "recipient", "obligation", "basis", "when", "grants", "deadlines"}
)
_SERVICE_KEYS: Final = frozenset({"label", "ministry", "critical_infrastructure"})


class RuleSetError(ValueError):
    """A rule file is invalid. ``str()`` names the file, the rule and what is wrong."""

    def __init__(self, source: str, message: str, *, rule_id: str | None = None) -> None:
        self.source = source
        self.rule_id = rule_id
        self.detail = message
        where = f"{source}: rule {rule_id!r}" if rule_id else source
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class ServiceType:
    """An entry of the service catalogue: which ministry is in charge, and whether the
    service belongs to a critical-infrastructure sector (重要インフラ分野)."""

    kind: str
    label: str
    ministry: str | None
    critical_infrastructure: bool


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    label: str
    recipient: str
    obligation: Obligation
    basis: str  # the legal or guidance source, in Japanese
    when: Condition
    grants: tuple[str, ...]
    preliminary: PhaseDeadline | None
    final: PhaseDeadline | None
    form: str | None = None  # the recipient's own report form, when it has one
    # When the rule applies, the people whose data it is must be told too (本人への通知);
    # the text is the legal basis of that duty, e.g. 個人情報保護法第68条第2項.
    individual_notice: str | None = None

    def deadline(self, phase: Phase) -> PhaseDeadline | None:
        return self.preliminary if phase is Phase.PRELIMINARY else self.final


@dataclass(frozen=True, slots=True)
class RuleSet:
    effective_from: date
    revision: int
    title: str
    source: str
    rules: tuple[Rule, ...]
    services: Mapping[str, ServiceType]

    @property
    def version(self) -> str:
        """What a submission records to say which rules judged it, e.g. ``2025-07-01r1``."""
        return f"{self.effective_from.isoformat()}r{self.revision}"

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


# --- loading ------------------------------------------------------------------------------


def load_ruleset(path: Path) -> RuleSet:
    """Read and validate one rule file."""
    source = path.name
    match = _FILE_NAME.match(source)
    if match is None:
        raise RuleSetError(source, "a rule file is named routing-YYYY-MM-DD.yaml")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleSetError(source, f"not valid YAML: {exc}") from exc
    ruleset = parse_ruleset(data, source=source)
    if ruleset.effective_from.isoformat() != match.group(1):
        raise RuleSetError(
            source, f"effective_from {ruleset.effective_from} does not match the file name"
        )
    return ruleset


def load_rulesets(directory: Path) -> tuple[RuleSet, ...]:
    """Every rule file in ``directory``, oldest first.

    A file's name carries its date and must match ``effective_from``, so one directory
    cannot hold two rule sets for one date.
    """
    rulesets = (load_ruleset(p) for p in directory.glob("routing-*.yaml"))
    return tuple(sorted(rulesets, key=lambda r: r.effective_from))


@functools.cache
def shipped_rulesets() -> tuple[RuleSet, ...]:
    """The rule sets shipped with mamoru (``incidents/rules/``), loaded once per process."""
    return load_rulesets(RULES_DIR)


class NoRuleSetError(LookupError):
    """No rule set was in force on the day asked about."""


def ruleset_for(day: date, *, rulesets: Iterable[RuleSet] | None = None) -> RuleSet:
    """The rule set in force on ``day`` (the day the report was made, in Japan time).

    ``rulesets`` defaults to the shipped ones; the newest whose ``effective_from`` is not
    after ``day`` applies.
    """
    if isinstance(day, datetime):  # a datetime is a date: judge by its day in Japan
        day = to_jst(day).date()
    candidates = shipped_rulesets() if rulesets is None else tuple(rulesets)
    in_force = [r for r in candidates if r.effective_from <= day]
    if not in_force:
        raise NoRuleSetError(f"no incident routing rule set was in force on {day.isoformat()}")
    return max(in_force, key=lambda r: r.effective_from)


def parse_ruleset(data: object, *, source: str) -> RuleSet:
    """Validate the parsed YAML of a rule file (``source`` names it in errors)."""
    if not isinstance(data, Mapping):
        raise RuleSetError(source, "the file must hold a mapping")
    _check_keys(data, _TOP_KEYS, _TOP_KEYS - {"services"}, source=source)
    if data["schema"] != SCHEMA:
        raise RuleSetError(source, f"schema must be {SCHEMA!r}, not {data['schema']!r}")
    effective_from = data["effective_from"]
    if not isinstance(effective_from, date) or isinstance(effective_from, datetime):
        raise RuleSetError(source, "effective_from must be a date (YYYY-MM-DD)")
    revision = data["revision"]
    if isinstance(revision, bool) or not isinstance(revision, int) or revision < 1:
        raise RuleSetError(source, "revision must be a positive whole number")
    services = _parse_services(data.get("services") or {}, source=source)
    raw_rules = data["rules"]
    if not isinstance(raw_rules, list) or not raw_rules:
        raise RuleSetError(source, "rules must be a non-empty list")
    rules = tuple(_parse_rule(raw, index, source=source) for index, raw in enumerate(raw_rules))
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleSetError(source, "the rule id is used twice", rule_id=rule.id)
        seen.add(rule.id)
    return RuleSet(effective_from, revision, str(data["title"]), source, rules, services)


def _check_keys(
    raw: Mapping[object, object],
    allowed: frozenset[str],
    required: frozenset[str],
    *,
    source: str,
    rule_id: str | None = None,
    what: str = "",
) -> None:
    unknown = sorted(str(k) for k in raw if k not in allowed)
    if unknown:
        raise RuleSetError(
            source, f"unknown key(s) {unknown}{what} (allowed: {sorted(allowed)})", rule_id=rule_id
        )
    missing = sorted(required - {str(k) for k in raw})
    if missing:
        raise RuleSetError(source, f"missing key(s) {missing}{what}", rule_id=rule_id)


def _parse_services(raw: object, *, source: str) -> dict[str, ServiceType]:
    if not isinstance(raw, Mapping):
        raise RuleSetError(source, "services must map a service kind to its entry")
    services: dict[str, ServiceType] = {}
    for kind, entry in raw.items():
        what = f" in service {kind!r}"
        if not isinstance(entry, Mapping):
            raise RuleSetError(source, f"the entry{what} must be a mapping")
        _check_keys(entry, _SERVICE_KEYS, frozenset({"label"}), source=source, what=what)
        ministry = entry.get("ministry")
        if ministry is not None and ministry not in NATIONAL_BODIES:
            raise RuleSetError(source, f"unknown ministry code {ministry!r}{what}")
        critical = entry.get("critical_infrastructure", False)
        if not isinstance(critical, bool):
            raise RuleSetError(source, f"critical_infrastructure must be true or false{what}")
        services[str(kind)] = ServiceType(str(kind), str(entry["label"]), ministry, critical)
    return services


def _parse_rule(raw: object, index: int, *, source: str) -> Rule:
    if not isinstance(raw, Mapping):
        raise RuleSetError(source, f"rule number {index + 1} must be a mapping")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        raise RuleSetError(source, f"rule number {index + 1} needs an id of a-z, 0-9 and '-'")
    _check_keys(raw, _RULE_KEYS, _REQUIRED_RULE_KEYS, source=source, rule_id=rule_id)
    try:
        return _build_rule(raw, rule_id)
    except RuleFormatError as exc:
        raise RuleSetError(source, str(exc), rule_id=rule_id) from exc


def _build_rule(raw: Mapping[object, object], rule_id: str) -> Rule:
    recipient = raw["recipient"]
    if recipient not in RECIPIENT_CODES:
        known = ", ".join(sorted(RECIPIENT_CODES))
        raise RuleFormatError(f"unknown recipient code {recipient!r} (known: {known})")
    try:
        obligation = Obligation(str(raw["obligation"]))
    except ValueError:
        raise RuleFormatError("obligation is one of law, guidance, policy") from None
    grants = raw["grants"]
    if not isinstance(grants, list) or not grants:
        raise RuleFormatError("grants must be a non-empty list of report sections")
    unknown = [g for g in grants if g not in SECTIONS]
    if unknown:
        raise RuleFormatError(f"unknown section(s) {unknown} (known: {', '.join(SECTIONS)})")
    deadlines = raw["deadlines"]
    if not isinstance(deadlines, Mapping) or not deadlines:
        raise RuleFormatError("deadlines must map preliminary and/or final to a deadline")
    phases = {p.value for p in Phase}
    extra = sorted(str(k) for k in deadlines if k not in phases)
    if extra:
        raise RuleFormatError(f"unknown phase(s) {extra} (known: preliminary, final)")
    form = raw.get("form")
    if form is not None and not isinstance(form, str):
        raise RuleFormatError("form must be a text id")
    notice = raw.get("individual_notice")
    if notice is not None and (not isinstance(notice, str) or not notice.strip()):
        raise RuleFormatError("individual_notice must be the text of the duty's legal basis")
    return Rule(
        id=rule_id,
        label=str(raw["label"]),
        recipient=str(recipient),
        obligation=obligation,
        basis=str(raw["basis"]).strip(),
        when=parse_condition(raw["when"]),
        grants=tuple(str(g) for g in grants),
        preliminary=_phase(deadlines, Phase.PRELIMINARY),
        final=_phase(deadlines, Phase.FINAL),
        form=form,
        individual_notice=None if notice is None else notice.strip(),
    )


def _phase(deadlines: Mapping[object, object], phase: Phase) -> PhaseDeadline | None:
    if phase.value not in deadlines:
        return None
    return parse_phase_deadline(deadlines[phase.value])
