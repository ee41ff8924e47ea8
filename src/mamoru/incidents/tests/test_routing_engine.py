"""The routing engine: merging rules that name one recipient, granted sections, explanations,
and the public surface of the package."""

from __future__ import annotations

import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest

from mamoru.core.jpcalendar import end_of_day
from mamoru.incidents import routing
from mamoru.incidents.routing import (
    Category,
    RecipientKind,
    RuleSet,
    Timing,
    explain,
    load_ruleset,
    route,
    ruleset_for,
)
from mamoru.incidents.routing.testing import (
    DEFAULT_AWARE,
    MUNICIPALITY,
    PREFECTURE,
    jst,
    leak,
    make_facts,
)

# Two rules naming MIC with different deadlines and grants, to show how they merge.
MERGING = """
schema: mamoru.incidents.routing/1
effective_from: 2030-01-01
revision: 1
title: 統合のテスト
rules:
  - id: slow
    label: 遅い規則
    recipient: MIC
    obligation: guidance
    basis: テストA
    when: always
    grants: [overview, timeline]
    deadlines:
      preliminary: {trigger: aware, within: {days: 10}}
      final: {trigger: aware, within: {days: 20}}
  - id: fast-when-serious
    label: 速い規則
    recipient: MIC
    obligation: law
    basis: テストB
    form: mic-form
    when: {fact: serious, is: true}
    grants: [overview, cause]
    deadlines:
      preliminary: {trigger: aware, within: {days: 2}}
      final: {trigger: approved, within: {days: 5}}
"""


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return ruleset_for(date(2025, 11, 22))


@pytest.fixture
def merging(tmp_path: Path) -> RuleSet:
    path = tmp_path / "routing-2030-01-01.yaml"
    path.write_text(textwrap.dedent(MERGING), encoding="utf-8")
    return load_ruleset(path)


def test_two_rules_naming_one_recipient_merge_into_one(merging: RuleSet) -> None:
    recipients = route(make_facts(serious=True), reporter=MUNICIPALITY, ruleset=merging)
    assert [r.code for r in recipients] == ["MIC"]
    mic = recipients[0]
    assert mic.rule_ids == ("slow", "fast-when-serious")
    assert mic.forms == ("mic-form",)
    assert [r.basis for r in mic.reasons] == ["テストA", "テストB"]


def test_merging_keeps_the_earliest_deadline_of_each_phase(merging: RuleSet) -> None:
    mic = route(make_facts(serious=True), reporter=MUNICIPALITY, ruleset=merging)[0]
    assert mic.preliminary is not None
    assert mic.preliminary.rule_id == "fast-when-serious"
    assert mic.preliminary.due_at == end_of_day(DEFAULT_AWARE.date() + timedelta(days=2))


def test_a_pending_deadline_never_wins_over_a_known_one(merging: RuleSet) -> None:
    # The fast rule's final counts from approval, which has not happened yet.
    mic = route(make_facts(serious=True), reporter=MUNICIPALITY, ruleset=merging)[0]
    assert mic.final is not None
    assert mic.final.rule_id == "slow"
    pending = mic.reasons[1].final
    assert pending is not None
    assert pending.pending
    assert "未定" in pending.text


def test_once_approved_the_earlier_final_wins(merging: RuleSet) -> None:
    facts = make_facts(serious=True, approved=jst(2025, 11, 13))
    mic = route(facts, reporter=MUNICIPALITY, ruleset=merging)[0]
    assert mic.final is not None
    assert mic.final.rule_id == "fast-when-serious"
    assert mic.final.due_at == end_of_day(date(2025, 11, 18))


def test_merging_unites_the_granted_sections_in_report_order(merging: RuleSet) -> None:
    mic = route(make_facts(serious=True), reporter=MUNICIPALITY, ruleset=merging)[0]
    assert mic.sections == ("overview", "timeline", "cause")


def test_a_rule_that_does_not_hold_adds_nothing(merging: RuleSet) -> None:
    mic = route(make_facts(serious=False), reporter=MUNICIPALITY, ruleset=merging)[0]
    assert mic.rule_ids == ("slow",)
    assert mic.sections == ("overview", "timeline")


def test_ppc_under_both_laws_is_one_recipient_with_both_forms(rules: RuleSet) -> None:
    facts = make_facts(personal_data=leak(people=101, my_number=True))
    ppc = [r for r in route(facts, reporter=MUNICIPALITY, ruleset=rules) if r.code == "PPC"]
    assert len(ppc) == 1
    assert ppc[0].rule_ids == ("appi-68-ppc", "mynumber-29-4-ppc")
    assert ppc[0].forms == ("ppc-appi-68-public-body", "ppc-mynumber-29-4")
    assert "systems" in ppc[0].sections  # granted by the My Number rule only


def test_nco_under_both_rules_keeps_both_reasons(rules: RuleSet) -> None:
    facts = make_facts(category=Category.RANSOMWARE, serious=True, services=("water_supply",))
    nco = next(r for r in route(facts, reporter=MUNICIPALITY, ruleset=rules) if r.code == "NCO")
    assert nco.rule_ids == ("nco-critical-infrastructure", "nco-serious-cyber-attack")
    assert nco.preliminary is not None
    assert nco.preliminary.due_at == DEFAULT_AWARE + timedelta(hours=1)


def test_recipients_come_in_rule_order_with_their_kind(rules: RuleSet) -> None:
    facts = make_facts(category=Category.RANSOMWARE, personal_data=leak(sensitive=True))
    recipients = route(facts, reporter=MUNICIPALITY, ruleset=rules)
    assert [r.code for r in recipients] == ["130001", "MIC", "PPC", "NPA"]
    assert recipients[0].kind is RecipientKind.PREFECTURE
    assert all(r.kind is RecipientKind.NATIONAL for r in recipients[1:])


def test_explain_says_why_each_recipient_gets_the_report(rules: RuleSet) -> None:
    facts = make_facts(personal_data=leak(people=101, improper_purpose=True))
    text = "\n".join(explain(facts, reporter=MUNICIPALITY, ruleset=rules))
    assert "■ 個人情報保護委員会" in text
    assert "個人情報保護法第68条第1項" in text
    assert "本人の数が100を超える" in text
    assert "不正の目的をもって行われたおそれがある" in text
    assert "認知から60日以内" in text
    assert "法令上の義務" in text
    assert "2025-07-01r2" in text


def test_explain_marks_the_police_rule_as_policy(rules: RuleSet) -> None:
    text = "\n".join(
        explain(make_facts(category=Category.RANSOMWARE), reporter=MUNICIPALITY, ruleset=rules)
    )
    assert "■ 警察庁" in text
    assert "本システムの運用方針" in text


def test_explain_notes_gaps_that_affect_routing(rules: RuleSet) -> None:
    facts = make_facts(services=("unlisted_service",), personal_data=leak(people=None))
    notes = explain(facts, reporter=PREFECTURE, ruleset=rules)
    text = "\n".join(notes)
    assert "所管省庁が不明" in text
    assert "本人の数が未確定" in text
    assert "都道府県への報告先は設定されません" in text
    assert "報告対象事態を知った時点」が未記録" in text


def test_explain_of_a_determined_report_has_no_fallback_note(rules: RuleSet) -> None:
    facts = make_facts(determined=jst(2025, 11, 12, 12))
    assert not any(
        "未記録" in line for line in explain(facts, reporter=MUNICIPALITY, ruleset=rules)
    )


def test_promptly_deadlines_read_as_indicative(rules: RuleSet) -> None:
    mic = route(make_facts(), reporter=MUNICIPALITY, ruleset=rules)[1]
    assert mic.preliminary is not None
    assert mic.preliminary.timing is Timing.PROMPTLY
    assert mic.preliminary.text.startswith("速やかに（目安: 認知から1開庁日")


def test_the_public_surface_is_pinned() -> None:
    assert sorted(routing.__all__) == [
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
    for name in routing.__all__:
        assert hasattr(routing, name)


def test_routing_never_imports_django() -> None:
    package = Path(routing.__file__).parent
    for source in package.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "import django" not in text
        assert "from django" not in text
