"""The legal corrections of issue 10: every case routes as the texts require (rule set
2025-07-01, revision 2). Each test failed on revision 1; the texts are in rules/README.md."""

from __future__ import annotations

from datetime import date

import pytest

from mamoru.core.jpcalendar import end_of_day
from mamoru.incidents.routing import (
    Category,
    IncidentFacts,
    RoutedRecipient,
    RuleSet,
    Segment,
    Timing,
    explain,
    individual_notice_bases,
    route,
    ruleset_for,
)
from mamoru.incidents.routing.testing import MUNICIPALITY, jst, leak, make_facts


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return ruleset_for(date(2025, 11, 22))


def routed(rules: RuleSet, facts: IncidentFacts) -> dict[str, RoutedRecipient]:
    return {r.code: r for r in route(facts, reporter=MUNICIPALITY, ruleset=rules)}


def ppc_rules(rules: RuleSet, facts: IncidentFacts) -> set[str]:
    ppc = routed(rules, facts).get("PPC")
    return set() if ppc is None else set(ppc.rule_ids)


def test_the_corrections_are_revision_2_of_the_rule_set_in_force() -> None:
    assert ruleset_for(date(2025, 11, 22)).version == "2025-07-01r2"


# --- 1. a cyber attack or a theft is an act with an improper purpose ----------------------


def test_twenty_people_leaked_through_a_cms_intrusion_go_to_ppc(rules: RuleSet) -> None:
    facts = make_facts(category=Category.UNAUTHORISED_ACCESS, personal_data=leak(people=20))
    ppc = routed(rules, facts)["PPC"]
    assert ppc.rule_ids == ("appi-68-ppc",)
    assert any("不正の目的をもって行われたおそれがある行為" in m for m in ppc.reasons[0].matched)
    assert ppc.final is not None
    assert ppc.final.period.amount == 60  # 規則第44条第2項: the 第3号 case


def test_fifty_people_s_my_number_data_reached_by_an_attack_go_to_ppc(rules: RuleSet) -> None:
    data = leak(people=50, my_number=True, my_number_people=50)
    facts = make_facts(category=Category.RANSOMWARE, personal_data=data)
    assert ppc_rules(rules, facts) == {"appi-68-ppc", "mynumber-29-4-ppc"}
    reason = next(r for r in routed(rules, facts)["PPC"].reasons if r.rule_id.startswith("my"))
    assert reason.final is not None
    assert reason.final.period.amount == 60  # 番号法の報告規則第3条第2項: 第2条第2号


@pytest.mark.parametrize(
    "category",
    [Category.RANSOMWARE, Category.MALWARE, Category.WEB_DEFACEMENT, Category.MEDIA_THEFT],
)
def test_each_improper_act_reaching_one_person_s_data_goes_to_ppc(
    rules: RuleSet, category: Category
) -> None:
    assert "appi-68-ppc" in ppc_rules(
        rules, make_facts(category=category, personal_data=leak(people=1))
    )


@pytest.mark.parametrize(
    "category", [Category.MEDIA_LOSS_THEFT, Category.MISDELIVERY, Category.DDOS]
)
def test_a_loss_a_misdelivery_or_a_ddos_of_a_few_people_is_not_an_improper_act(
    rules: RuleSet, category: Category
) -> None:
    assert ppc_rules(rules, make_facts(category=category, personal_data=leak(people=3))) == set()


def test_an_attack_the_report_declares_not_to_be_one_is_not_an_improper_act(
    rules: RuleSet,
) -> None:
    facts = make_facts(category=Category.MALWARE, cyber_attack=False, personal_data=leak(people=3))
    assert ppc_rules(rules, facts) == set()


def test_an_insider_still_needs_the_manual_flag(rules: RuleSet) -> None:
    plain = make_facts(category=Category.DATA_LEAK, personal_data=leak(people=3))
    insider = make_facts(
        category=Category.DATA_LEAK, personal_data=leak(people=3, improper_purpose=True)
    )
    assert ppc_rules(rules, plain) == set()
    assert ppc_rules(rules, insider) == {"appi-68-ppc"}


def test_a_stolen_laptop_also_goes_to_the_police(rules: RuleSet) -> None:
    assert "NPA" in routed(rules, make_facts(category=Category.MEDIA_THEFT))


# --- 2. an unknown head-count is not zero -------------------------------------------------


def test_ransomware_still_counting_people_goes_to_ppc(rules: RuleSet) -> None:
    facts = make_facts(category=Category.RANSOMWARE, personal_data=leak(people=None))
    assert "appi-68-ppc" in ppc_rules(rules, facts)
    text = "\n".join(explain(facts, reporter=MUNICIPALITY, ruleset=rules))
    assert "100人を超える漏えい等の「おそれ」があるものとして扱って" in text


def test_a_misdelivery_still_counting_people_goes_to_ppc_provisionally(rules: RuleSet) -> None:
    facts = make_facts(category=Category.MISDELIVERY, personal_data=leak(people=None))
    assert ppc_rules(rules, facts) == {"appi-68-ppc"}


# --- 3. the My Number rules -----------------------------------------------------------


@pytest.mark.parametrize("flag", ["in_my_number_related_system", "in_contractor_system"])
def test_payroll_and_contractor_systems_count_at_any_head_count(rules: RuleSet, flag: str) -> None:
    data = leak(people=1, my_number=True, my_number_people=1, **{flag: True})
    assert ppc_rules(rules, make_facts(personal_data=data)) == {"mynumber-29-4-ppc"}


@pytest.mark.parametrize("flag", ["improper_use", "improper_provision"])
def test_improper_use_or_provision_is_reportable_with_60_days(rules: RuleSet, flag: str) -> None:
    data = leak(people=2, my_number=True, my_number_people=2, **{flag: True})
    ppc = routed(rules, make_facts(personal_data=data))["PPC"]
    assert ppc.rule_ids == ("mynumber-29-4-ppc",)
    assert ppc.final is not None
    assert ppc.final.period.amount == 60


def test_the_fourth_item_counts_my_number_holders_not_everyone(rules: RuleSet) -> None:
    # 150 people leaked, 40 of them with a My Number: APPI §68 applies, the My Number rule not.
    data = leak(people=150, my_number=True, my_number_people=40)
    assert ppc_rules(rules, make_facts(personal_data=data)) == {"appi-68-ppc"}
    data = leak(people=150, my_number=True, my_number_people=101)
    assert "mynumber-29-4-ppc" in ppc_rules(rules, make_facts(personal_data=data))


def test_uncounted_my_number_holders_are_bounded_by_a_small_total(rules: RuleSet) -> None:
    bounded = leak(people=80, my_number=True)
    unbounded = leak(people=500, my_number=True)
    assert "mynumber-29-4-ppc" not in ppc_rules(rules, make_facts(personal_data=bounded))
    assert "mynumber-29-4-ppc" in ppc_rules(rules, make_facts(personal_data=unbounded))


def test_my_number_segment_and_encryption_still_behave(rules: RuleSet) -> None:
    data = leak(people=1, my_number=True, my_number_people=1)
    in_segment = make_facts(personal_data=data, segments=frozenset({Segment.MY_NUMBER}))
    encrypted = make_facts(
        category=Category.RANSOMWARE,
        personal_data=leak(
            people=1, my_number=True, my_number_people=1, high_grade_encryption=True
        ),
    )
    assert "mynumber-29-4-ppc" in ppc_rules(rules, in_segment)
    assert ppc_rules(rules, encrypted) == set()


# --- 6. the notice to the people stands beside the PPC report ----------------------------


def test_the_notice_duty_follows_each_ppc_rule(rules: RuleSet) -> None:
    data = leak(people=50, my_number=True, my_number_people=50)
    recipients = route(
        make_facts(category=Category.RANSOMWARE, personal_data=data),
        reporter=MUNICIPALITY,
        ruleset=rules,
    )
    assert individual_notice_bases(recipients) == (
        "個人情報保護法第68条第2項",
        "番号法第29条の4第2項",
    )
    text = "\n".join(
        explain(
            make_facts(personal_data=leak(sensitive=True, people=1)),
            reporter=MUNICIPALITY,
            ruleset=rules,
        )
    )
    assert "■ 本人への通知" in text


def test_no_ppc_report_no_notice_duty(rules: RuleSet) -> None:
    recipients = route(
        make_facts(personal_data=leak(people=3)), reporter=MUNICIPALITY, ruleset=rules
    )
    assert individual_notice_bases(recipients) == ()


# --- 7. bases and the year-end closure ----------------------------------------------------


def test_bases_cite_the_holiday_act_and_drop_the_policy_article(rules: RuleSet) -> None:
    for rule in rules.rules:
        assert "地方自治法第244条の6" not in rule.basis
    for rule_id in ("appi-68-ppc", "mynumber-29-4-ppc"):
        assert "行政機関の休日に関する法律第2条" in rules.rule(rule_id).basis
    assert "概ね3〜5日以内" in rules.rule("appi-68-ppc").basis


@pytest.mark.parametrize("code", ["130001", "MIC"])
def test_a_promptly_target_does_not_jump_the_year_end_closure(rules: RuleSet, code: str) -> None:
    # Noticed Mon 2026-12-28: revision 1 gave Mon 2027-01-04, after PPC's target of 12/30.
    facts = make_facts(aware=jst(2026, 12, 28), personal_data=leak(people=101))
    recipients = routed(rules, facts)
    due = recipients[code].preliminary
    ppc = recipients["PPC"].preliminary
    assert due is not None
    assert ppc is not None
    assert due.timing is Timing.PROMPTLY
    assert due.due_at == end_of_day(date(2026, 12, 29))
    assert ppc.due_at == end_of_day(date(2026, 12, 30))


def test_the_legal_final_deadline_still_rolls_over_the_closure(rules: RuleSet) -> None:
    facts = make_facts(
        aware=jst(2025, 11, 28), determined=jst(2025, 11, 30), personal_data=leak(people=101)
    )
    final = routed(rules, facts)["PPC"].final
    assert final is not None
    assert final.due_at == end_of_day(date(2026, 1, 5))
