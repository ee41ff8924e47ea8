"""Incident routing: who must receive a report, what each recipient may see, and by when.

A pure library (no Django): the incidents app maps a report to :class:`IncidentFacts`,
picks the rule set in force with :func:`ruleset_for`, and calls :func:`route`.
"""

from mamoru.incidents.routing.codes import Obligation, Phase, Trigger
from mamoru.incidents.routing.conditions import ConditionError, RuleFormatError
from mamoru.incidents.routing.deadlines import Due, Timing
from mamoru.incidents.routing.engine import (
    RecipientKind,
    RoutedRecipient,
    RouteReason,
    describe_recipient,
    explain,
    individual_notice_bases,
    route,
)
from mamoru.incidents.routing.facts import (
    AffectedService,
    Category,
    IncidentFacts,
    PersonalData,
    ReporterContext,
    Segment,
    Severity,
    Timeline,
)
from mamoru.incidents.routing.ruleset import (
    NoRuleSetError,
    Rule,
    RuleSet,
    RuleSetError,
    load_ruleset,
    load_rulesets,
    ruleset_for,
    shipped_rulesets,
)

__all__ = [
    "AffectedService",
    "Category",
    "ConditionError",
    "Due",
    "IncidentFacts",
    "NoRuleSetError",
    "Obligation",
    "PersonalData",
    "Phase",
    "RecipientKind",
    "ReporterContext",
    "RouteReason",
    "RoutedRecipient",
    "Rule",
    "RuleFormatError",
    "RuleSet",
    "RuleSetError",
    "Segment",
    "Severity",
    "Timeline",
    "Timing",
    "Trigger",
    "describe_recipient",
    "explain",
    "individual_notice_bases",
    "load_ruleset",
    "load_rulesets",
    "route",
    "ruleset_for",
    "shipped_rulesets",
]
