"""Every shipped rule: reports that must trigger it, and reports that must not."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mamoru.core.jpcalendar import JST, end_of_day
from mamoru.incidents.routing import (
    AffectedService,
    Category,
    IncidentFacts,
    Phase,
    ReporterContext,
    RoutedRecipient,
    RuleSet,
    Segment,
    Timing,
    Trigger,
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


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return ruleset_for(date(2025, 11, 22))


def routed(
    rules: RuleSet, facts: IncidentFacts, reporter: ReporterContext = MUNICIPALITY
) -> dict[str, RoutedRecipient]:
    return {r.code: r for r in route(facts, reporter=reporter, ruleset=rules)}


def rule_ids(rules: RuleSet, facts: IncidentFacts) -> set[str]:
    return {rid for r in routed(rules, facts).values() for rid in r.rule_ids}


# --- the prefecture and MIC ---------------------------------------------------------------


def test_every_incident_goes_to_the_prefecture_and_mic(rules: RuleSet) -> None:
    recipients = routed(rules, make_facts())
    assert set(recipients) == {"130001", "MIC"}
    assert recipients["130001"].name == "東京都"
    assert recipients["130001"].rule_ids == ("lg-prefecture",)
    assert recipients["MIC"].rule_ids == ("lg-mic",)


def test_serious_incidents_are_due_immediately_within_an_hour(rules: RuleSet) -> None:
    recipients = routed(rules, make_facts(serious=True))
    for code in ("130001", "MIC"):
        due = recipients[code].preliminary
        assert due is not None
        assert due.timing is Timing.IMMEDIATELY
        assert due.due_at == DEFAULT_AWARE + timedelta(hours=1)


def test_other_incidents_are_due_promptly_within_a_business_day(rules: RuleSet) -> None:
    due = routed(rules, make_facts())["MIC"].preliminary
    assert due is not None
    assert due.timing is Timing.PROMPTLY
    assert due.indicative
    assert due.due_at == end_of_day(date(2025, 11, 13))


def test_a_business_day_target_skips_a_holiday_weekend(rules: RuleSet) -> None:
    # Noticed Fri 2025-11-21; Sat, Sun and Mon 11/24 (振替休日) are closed.
    due = routed(rules, make_facts(aware=jst(2025, 11, 21, 17)))["MIC"].preliminary
    assert due is not None
    assert due.due_at == end_of_day(date(2025, 11, 25))


def test_a_business_day_target_skips_golden_week(rules: RuleSet) -> None:
    # Noticed Fri 2025-05-02; 5/3–5/6 are holidays, so the next open day is Wed 5/7.
    due = routed(rules, make_facts(aware=jst(2025, 5, 2, 9)))["MIC"].preliminary
    assert due is not None
    assert due.due_at == end_of_day(date(2025, 5, 7))


def test_a_prefecture_reporting_does_not_report_to_itself(rules: RuleSet) -> None:
    recipients = routed(rules, make_facts(), reporter=PREFECTURE)
    assert set(recipients) == {"MIC"}


# --- PPC under APPI §68 -------------------------------------------------------------------


def test_appi_100_people_is_not_reportable(rules: RuleSet) -> None:
    assert "appi-68-ppc" not in rule_ids(rules, make_facts(personal_data=leak(people=100)))


def test_appi_101_people_is_reportable(rules: RuleSet) -> None:
    assert "appi-68-ppc" in rule_ids(rules, make_facts(personal_data=leak(people=101)))


@pytest.mark.parametrize(
    "flag", ["sensitive", "financial_damage_risk", "improper_purpose", "ordinance_sensitive"]
)
def test_appi_one_person_is_reportable_for_each_qualifying_kind(rules: RuleSet, flag: str) -> None:
    facts = make_facts(personal_data=leak(people=1, **{flag: True}))
    assert "appi-68-ppc" in rule_ids(rules, facts)


def test_appi_high_grade_encryption_takes_the_leak_out_of_scope(rules: RuleSet) -> None:
    data = leak(people=5000, sensitive=True, high_grade_encryption=True)
    assert "PPC" not in routed(rules, make_facts(personal_data=data))


def test_appi_unknown_number_of_people_routes_to_ppc_provisionally(rules: RuleSet) -> None:
    # 規則第43条第4号 covers a leak of more than 100 that "may have occurred": until the
    # people are counted, that cannot be ruled out.
    ppc = routed(rules, make_facts(personal_data=leak(people=None)))["PPC"]
    assert any("本人の数が未確定" in m for m in ppc.reasons[0].matched)


def test_appi_a_counted_small_leak_without_other_grounds_is_not_reportable(
    rules: RuleSet,
) -> None:
    assert "PPC" not in routed(rules, make_facts(personal_data=leak(people=3)))


def test_appi_no_personal_data_no_ppc(rules: RuleSet) -> None:
    assert "PPC" not in routed(rules, make_facts(category=Category.RANSOMWARE, serious=True))


def test_appi_final_is_due_30_days_counting_the_day_it_knew(rules: RuleSet) -> None:
    # Knew on Wed 2025-11-12 (day 1): day 30 is Thu 2025-12-11.
    facts = make_facts(personal_data=leak(people=101), determined=jst(2025, 11, 12, 18))
    ppc = routed(rules, facts)["PPC"]
    assert ppc.final is not None
    assert ppc.final.timing is Timing.FIXED
    assert ppc.final.due_at == end_of_day(date(2025, 12, 11))


def test_appi_improper_purpose_gives_60_days_for_the_final_report(rules: RuleSet) -> None:
    facts = make_facts(
        personal_data=leak(people=3, improper_purpose=True), determined=jst(2025, 11, 12)
    )
    final = routed(rules, facts)["PPC"].final
    assert final is not None
    assert final.due_at == end_of_day(date(2026, 1, 13))  # day 60 is Sun 1/10; 1/12 is 成人の日


def test_appi_improper_purpose_keeps_60_days_when_over_100_people_too(rules: RuleSet) -> None:
    facts = make_facts(
        personal_data=leak(people=500, improper_purpose=True), determined=jst(2025, 11, 12)
    )
    final = routed(rules, facts)["PPC"].final
    assert final is not None
    assert final.period.amount == 60


def test_appi_final_day_in_the_year_end_closure_rolls_to_the_next_open_day(
    rules: RuleSet,
) -> None:
    # Knew on 2025-11-30: day 30 is 12/29, in the closure; the next open day is 2026-01-05.
    facts = make_facts(
        aware=jst(2025, 11, 28), determined=jst(2025, 11, 30), personal_data=leak(people=101)
    )
    final = routed(rules, facts)["PPC"].final
    assert final is not None
    assert final.due_at == end_of_day(date(2026, 1, 5))


def test_appi_clock_starts_when_the_body_knew_it_was_reportable(rules: RuleSet) -> None:
    # Noticed on 11/12 with 40 people; learned on 11/20 that 150 were affected.
    facts = make_facts(determined=jst(2025, 11, 20), personal_data=leak(people=150))
    ppc = routed(rules, facts)["PPC"]
    assert ppc.preliminary is not None
    assert ppc.preliminary.counted_from is Trigger.DETERMINED
    assert ppc.preliminary.due_at == end_of_day(date(2025, 11, 22))  # about 3 days, day 1 = 11/20
    assert ppc.preliminary.timing is Timing.PROMPTLY


def test_appi_clock_counts_from_awareness_while_determination_is_not_recorded(
    rules: RuleSet,
) -> None:
    ppc = routed(rules, make_facts(personal_data=leak(sensitive=True, people=1)))["PPC"]
    assert ppc.final is not None
    assert ppc.final.counted_from is Trigger.AWARE
    assert ppc.final.trigger is Trigger.DETERMINED


def test_appi_ppc_is_granted_only_its_report_items(rules: RuleSet) -> None:
    ppc = routed(rules, make_facts(personal_data=leak(people=101)))["PPC"]
    assert "personal_data" in ppc.sections
    assert "police" not in ppc.sections
    assert "contractor" not in ppc.sections


# --- PPC under the My Number Act ----------------------------------------------------------


def test_my_number_over_100_people_has_its_own_report(rules: RuleSet) -> None:
    facts = make_facts(personal_data=leak(my_number=True, people=101))
    ppc = routed(rules, facts)["PPC"]
    assert "mynumber-29-4-ppc" in ppc.rule_ids
    assert "ppc-mynumber-29-4" in ppc.forms


def test_my_number_100_people_outside_the_systems_is_not_reportable(rules: RuleSet) -> None:
    facts = make_facts(personal_data=leak(my_number=True, people=100))
    assert "PPC" not in routed(rules, facts)


@pytest.mark.parametrize("flag", ["in_my_number_system", "publicly_viewable", "improper_purpose"])
def test_my_number_one_person_is_reportable_for_each_qualifying_kind(
    rules: RuleSet, flag: str
) -> None:
    facts = make_facts(personal_data=leak(my_number=True, people=1, **{flag: True}))
    assert "mynumber-29-4-ppc" in rule_ids(rules, facts)


def test_my_number_in_the_my_number_segment_is_reportable(rules: RuleSet) -> None:
    facts = make_facts(
        personal_data=leak(my_number=True, people=1), segments=frozenset({Segment.MY_NUMBER})
    )
    assert "mynumber-29-4-ppc" in rule_ids(rules, facts)


def test_my_number_rule_needs_my_number_data(rules: RuleSet) -> None:
    facts = make_facts(personal_data=leak(people=1, in_my_number_system=True))
    assert "mynumber-29-4-ppc" not in rule_ids(rules, facts)


def test_my_number_improper_purpose_gives_60_days(rules: RuleSet) -> None:
    facts = make_facts(personal_data=leak(my_number=True, people=1, improper_purpose=True))
    reason = next(r for r in routed(rules, facts)["PPC"].reasons if r.form == "ppc-mynumber-29-4")
    assert reason.final is not None
    assert reason.final.period.amount == 60


# --- ministries in charge -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "ministry"),
    [
        ("national_health_insurance", "MHLW"),
        ("school", "MEXT"),
        ("water_supply", "MLIT"),  # moved from MHLW on 2024-04-01
        ("childcare", "CFA"),
        ("child_rearing_support", "CFA"),
    ],
)
def test_the_ministry_in_charge_of_an_affected_service_receives_the_report(
    rules: RuleSet, service: str, ministry: str
) -> None:
    recipients = routed(rules, make_facts(services=(service,)))
    assert recipients[ministry].rule_ids == ("ministry-in-charge",)


def test_water_supply_no_longer_goes_to_mhlw(rules: RuleSet) -> None:
    assert "MHLW" not in routed(rules, make_facts(services=("water_supply",)))


def test_no_affected_service_means_no_ministry(rules: RuleSet) -> None:
    assert not {"MHLW", "MEXT", "MLIT", "CFA"} & set(routed(rules, make_facts()))


def test_two_services_of_one_ministry_give_one_recipient(rules: RuleSet) -> None:
    recipients = route(
        make_facts(services=("national_health_insurance", "long_term_care_insurance")),
        reporter=MUNICIPALITY,
        ruleset=rules,
    )
    mhlw = [r for r in recipients if r.code == "MHLW"]
    assert len(mhlw) == 1
    assert any("介護保険" in m for m in mhlw[0].reasons[0].matched)


def test_a_ministry_stated_on_the_report_overrides_the_catalogue(rules: RuleSet) -> None:
    facts = make_facts()
    facts = IncidentFacts(
        category=facts.category,
        timeline=facts.timeline,
        services=(AffectedService("unlisted_service", "独自の業務", ministry="MEXT"),),
    )
    assert "MEXT" in routed(rules, facts)


def test_an_unknown_service_kind_reaches_no_ministry(rules: RuleSet) -> None:
    assert set(routed(rules, make_facts(services=("unlisted_service",)))) == {"130001", "MIC"}


# --- the National Cybersecurity Office ----------------------------------------------------


def test_a_critical_infrastructure_service_goes_to_nco(rules: RuleSet) -> None:
    nco = routed(rules, make_facts(services=("water_supply",)))["NCO"]
    assert nco.rule_ids == ("nco-critical-infrastructure",)


def test_a_service_outside_critical_infrastructure_does_not_go_to_nco(rules: RuleSet) -> None:
    assert "NCO" not in routed(rules, make_facts(services=("school",)))


def test_a_serious_cyber_attack_goes_to_nco_immediately(rules: RuleSet) -> None:
    nco = routed(rules, make_facts(category=Category.RANSOMWARE, serious=True))["NCO"]
    assert nco.rule_ids == ("nco-serious-cyber-attack",)
    assert nco.preliminary is not None
    assert nco.preliminary.timing is Timing.IMMEDIATELY


def test_a_serious_incident_that_is_not_an_attack_does_not_go_to_nco(rules: RuleSet) -> None:
    assert "NCO" not in routed(rules, make_facts(category=Category.SYSTEM_FAILURE, serious=True))


def test_an_attack_that_is_not_serious_does_not_go_to_nco(rules: RuleSet) -> None:
    assert "NCO" not in routed(rules, make_facts(category=Category.MALWARE))


def test_the_report_can_say_a_malware_case_was_not_an_attack(rules: RuleSet) -> None:
    facts = make_facts(category=Category.MALWARE, serious=True, cyber_attack=False)
    assert "NCO" not in routed(rules, facts)


def test_a_misdelivery_declared_an_attack_counts_as_one(rules: RuleSet) -> None:
    facts = make_facts(category=Category.MISDELIVERY, serious=True, cyber_attack=True)
    assert "NCO" in routed(rules, facts)


# --- the police ---------------------------------------------------------------------------


def test_a_police_consultation_goes_to_the_police(rules: RuleSet) -> None:
    facts = make_facts(category=Category.MEDIA_LOSS_THEFT, police_consulted=True)
    assert routed(rules, facts)["NPA"].rule_ids == ("npa-crime",)


@pytest.mark.parametrize("category", [Category.RANSOMWARE, Category.UNAUTHORISED_ACCESS])
def test_crimes_go_to_the_police(rules: RuleSet, category: Category) -> None:
    assert "NPA" in routed(rules, make_facts(category=category))


@pytest.mark.parametrize("category", [Category.MISDELIVERY, Category.SYSTEM_FAILURE])
def test_no_crime_and_no_consultation_no_police(rules: RuleSet, category: Category) -> None:
    assert "NPA" not in routed(rules, make_facts(category=category))


def test_the_police_rule_is_policy_and_has_no_final_report(rules: RuleSet) -> None:
    npa = routed(rules, make_facts(category=Category.RANSOMWARE))["NPA"]
    assert npa.reasons[0].obligation.value == "policy"
    assert npa.final is None
    assert npa.due(Phase.PRELIMINARY) is not None


def test_deadlines_are_in_japan_time(rules: RuleSet) -> None:
    for recipient in route(make_facts(serious=True), reporter=MUNICIPALITY, ruleset=rules):
        for due in (recipient.preliminary, recipient.final):
            assert due is not None
            assert due.due_at is not None
            assert due.due_at.tzinfo == JST
