"""Rule files: validation on load with errors that name the file and the rule, and the
choice of the rule set in force on the day a report was made."""

from __future__ import annotations

import textwrap
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from mamoru.incidents.routing import (
    NoRuleSetError,
    RuleSet,
    RuleSetError,
    load_ruleset,
    load_rulesets,
    route,
    ruleset_for,
    shipped_rulesets,
)
from mamoru.incidents.routing.codes import RECIPIENT_CODES, SECTIONS
from mamoru.incidents.routing.ruleset import RULES_DIR
from mamoru.incidents.routing.testing import MUNICIPALITY, make_facts

# An older rule set, as it might have been before the reorganisation of 2024-04-01: water
# supply under MHLW, and only the prefecture and MIC as recipients. A fixture, never shipped.
OLDER = """
schema: mamoru.incidents.routing/1
effective_from: 2023-04-01
revision: 1
title: 旧ルール（テスト用）
services:
  water_supply: {label: 上水道, ministry: MHLW, critical_infrastructure: true}
rules:
  - id: lg-mic
    label: 総務省への報告
    recipient: MIC
    obligation: guidance
    basis: テスト
    when: always
    grants: [overview]
    deadlines:
      preliminary: {trigger: aware, within: {days: 3}}
  - id: ministry-in-charge
    label: 業務所管省庁への報告
    recipient: "@ministry"
    obligation: guidance
    basis: テスト
    when: always
    grants: [overview]
    deadlines:
      preliminary: {trigger: aware, within: {days: 3}}
"""

VALID_RULE = """
  - id: r1
    label: ルール
    recipient: MIC
    obligation: guidance
    basis: テスト
    when: always
    grants: [overview]
    deadlines:
      preliminary: {trigger: aware, within: {days: 3}}
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def with_rules(rules_yaml: str, *, effective_from: str = "2030-01-01") -> str:
    return (
        "schema: mamoru.incidents.routing/1\n"
        f"effective_from: {effective_from}\n"
        "revision: 1\n"
        "title: テスト\n"
        "rules:\n" + rules_yaml
    )


def load_error(tmp_path: Path, text: str, name: str = "routing-2030-01-01.yaml") -> RuleSetError:
    path = write(tmp_path, name, text)
    with pytest.raises(RuleSetError) as caught:
        load_ruleset(path)
    return caught.value


@pytest.fixture
def rulesets(tmp_path: Path) -> tuple[RuleSet, ...]:
    write(tmp_path, "routing-2023-04-01.yaml", OLDER)
    return (*load_rulesets(tmp_path), *shipped_rulesets())


# --- the shipped rules --------------------------------------------------------------------


def test_the_shipped_rule_sets_load_and_are_dated() -> None:
    shipped = shipped_rulesets()
    assert shipped
    for ruleset in shipped:
        assert f"routing-{ruleset.effective_from.isoformat()}.yaml" == ruleset.source
        assert ruleset.version.startswith(ruleset.effective_from.isoformat())


def test_the_shipped_rules_name_only_known_recipients_and_sections() -> None:
    for ruleset in shipped_rulesets():
        for rule in ruleset.rules:
            assert rule.recipient in RECIPIENT_CODES
            assert set(rule.grants) <= set(SECTIONS)
            assert rule.basis


def test_a_valid_file_loads(tmp_path: Path) -> None:
    ruleset = load_ruleset(write(tmp_path, "routing-2030-01-01.yaml", with_rules(VALID_RULE)))
    assert ruleset.rule("r1").recipient == "MIC"
    assert ruleset.version == "2030-01-01r1"


# --- choosing by date ---------------------------------------------------------------------


def test_a_report_is_judged_by_the_rules_in_force_when_it_was_made(
    rulesets: tuple[RuleSet, ...],
) -> None:
    assert ruleset_for(date(2024, 3, 31), rulesets=rulesets).effective_from == date(2023, 4, 1)
    assert ruleset_for(date(2025, 7, 1), rulesets=rulesets).effective_from == date(2025, 7, 1)
    assert ruleset_for(date(2026, 11, 22), rulesets=rulesets).effective_from == date(2025, 7, 1)


def test_the_older_rules_send_water_supply_to_mhlw(rulesets: tuple[RuleSet, ...]) -> None:
    facts = make_facts(services=("water_supply",))
    old = ruleset_for(date(2024, 1, 10), rulesets=rulesets)
    new = ruleset_for(date(2025, 11, 22), rulesets=rulesets)
    assert "MHLW" in {r.code for r in route(facts, reporter=MUNICIPALITY, ruleset=old)}
    assert "MLIT" in {r.code for r in route(facts, reporter=MUNICIPALITY, ruleset=new)}
    assert "MHLW" not in {r.code for r in route(facts, reporter=MUNICIPALITY, ruleset=new)}


def test_the_day_of_a_report_is_its_day_in_japan(rulesets: tuple[RuleSet, ...]) -> None:
    # 2025-06-30 15:30 UTC is 2025-07-01 00:30 in Japan: the new rules apply.
    moment = datetime(2025, 6, 30, 15, 30, tzinfo=UTC)
    assert ruleset_for(moment, rulesets=rulesets).effective_from == date(2025, 7, 1)


def test_no_rule_set_before_the_first_one(rulesets: tuple[RuleSet, ...]) -> None:
    with pytest.raises(NoRuleSetError, match="2020-01-01"):
        ruleset_for(date(2020, 1, 1), rulesets=rulesets)


def test_the_shipped_sets_are_the_default() -> None:
    assert ruleset_for(date(2026, 1, 1)) in shipped_rulesets()


# --- invalid files ------------------------------------------------------------------------


def test_an_unknown_rule_key_names_the_file_and_the_rule(tmp_path: Path) -> None:
    error = load_error(tmp_path, with_rules(VALID_RULE.replace("when:", "whn:")))
    assert error.source == "routing-2030-01-01.yaml"
    assert error.rule_id == "r1"
    assert "routing-2030-01-01.yaml: rule 'r1'" in str(error)
    assert "'whn'" in str(error)


def test_an_unknown_recipient_code_is_refused(tmp_path: Path) -> None:
    error = load_error(tmp_path, with_rules(VALID_RULE.replace("MIC", "NISC")))
    assert error.rule_id == "r1"
    assert "unknown recipient code 'NISC'" in str(error)


def test_an_unknown_section_is_refused(tmp_path: Path) -> None:
    error = load_error(tmp_path, with_rules(VALID_RULE.replace("[overview]", "[secrets]")))
    assert "unknown section" in str(error)
    assert error.rule_id == "r1"


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("{fact: personal_data.peeple, gt: 100}", "unknown fact 'personal_data.peeple'"),
        ("{fact: personal_data.people, gt: '100'}", "needs an integer"),
        ("{fact: personal_data.people, is: true}", "operator 'is' does not apply"),
        ("{fact: serious, is: yes please}", "needs true or false"),
        ("{fact: category, eq: phishing}", "'phishing' is not a value of 'category'"),
        ("{fact: serious, is: true, gt: 1}", "exactly one operator"),
        ("{eval: '__import__(\"os\")'}", "unknown condition keyword 'eval'"),
        ("{all: []}", "non-empty list"),
        ("{any_service: {fact: serious, is: true}}", "unknown fact 'serious' for a service"),
        ("{fact: critical_infrastructure, is: true}", "unknown fact 'critical_infrastructure'"),
        ("sometimes", "must be 'always' or a mapping"),
    ],
)
def test_bad_conditions_are_refused_with_the_rule_named(
    tmp_path: Path, condition: str, message: str
) -> None:
    error = load_error(
        tmp_path, with_rules(VALID_RULE.replace("when: always", f"when: {condition}"))
    )
    assert error.rule_id == "r1"
    assert message in str(error)


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        ("{trigger: noticed, within: {days: 3}}", "unknown trigger 'noticed'"),
        ("{trigger: aware, within: {weeks: 1}}", "unknown period unit 'weeks'"),
        ("{trigger: aware, within: {days: 0}}", "positive whole number"),
        ("{trigger: aware, within: promptly}", "needs an 'indicative' period"),
        ("{trigger: aware, within: {days: 3}, indicative: {days: 1}}", "only goes with"),
        ("{trigger: aware, within: {days: 3}, first_day: sometimes}", "'first_day'"),
        ("{trigger: aware, within: {days: 3}, by: tomorrow}", "unknown deadline key"),
        (
            "{cases: [{when: {fact: serious, is: true}, trigger: aware, within: {days: 1}}]}",
            "the last case must have no 'when'",
        ),
    ],
)
def test_bad_deadlines_are_refused_with_the_rule_named(
    tmp_path: Path, deadline: str, message: str
) -> None:
    text = VALID_RULE.replace("{trigger: aware, within: {days: 3}}", deadline)
    error = load_error(tmp_path, with_rules(text))
    assert error.rule_id == "r1"
    assert message in str(error)


def test_an_unknown_phase_is_refused(tmp_path: Path) -> None:
    error = load_error(tmp_path, with_rules(VALID_RULE.replace("preliminary:", "interim:")))
    assert "unknown phase" in str(error)


def test_a_missing_rule_key_is_refused(tmp_path: Path) -> None:
    error = load_error(tmp_path, with_rules(VALID_RULE.replace("    basis: テスト\n", "")))
    assert "missing key(s) ['basis']" in str(error)


def test_a_duplicate_rule_id_is_refused(tmp_path: Path) -> None:
    error = load_error(tmp_path, with_rules(VALID_RULE + VALID_RULE))
    assert error.rule_id == "r1"
    assert "used twice" in str(error)


def test_a_bad_rule_id_is_refused(tmp_path: Path) -> None:
    error = load_error(tmp_path, with_rules(VALID_RULE.replace("id: r1", "id: R 1")))
    assert "rule number 1" in str(error)


def test_an_unknown_top_level_key_is_refused(tmp_path: Path) -> None:
    error = load_error(tmp_path, "extra: 1\n" + with_rules(VALID_RULE))
    assert error.rule_id is None
    assert "routing-2030-01-01.yaml: unknown key(s) ['extra']" in str(error)


def test_a_wrong_schema_is_refused(tmp_path: Path) -> None:
    text = with_rules(VALID_RULE).replace("routing/1", "routing/9")
    assert "schema must be" in str(load_error(tmp_path, text))


def test_an_unknown_ministry_in_the_catalogue_is_refused(tmp_path: Path) -> None:
    text = with_rules(VALID_RULE).replace(
        "rules:\n", "services:\n  koseki: {label: 戸籍, ministry: MOJ}\nrules:\n"
    )
    error = load_error(tmp_path, text)
    assert "unknown ministry code 'MOJ' in service 'koseki'" in str(error)


def test_a_file_name_that_does_not_match_its_date_is_refused(tmp_path: Path) -> None:
    error = load_error(tmp_path, with_rules(VALID_RULE), name="routing-2031-01-01.yaml")
    assert "does not match the file name" in str(error)


def test_a_file_without_a_date_in_its_name_is_refused(tmp_path: Path) -> None:
    error = load_error(tmp_path, with_rules(VALID_RULE), name="routing-latest.yaml")
    assert "routing-YYYY-MM-DD.yaml" in str(error)


def test_broken_yaml_is_refused_with_the_file_named(tmp_path: Path) -> None:
    error = load_error(tmp_path, with_rules(VALID_RULE) + "  - id: [unclosed\n")
    assert str(error).startswith("routing-2030-01-01.yaml: not valid YAML")


def test_the_shipped_directory_is_inside_the_package() -> None:
    assert RULES_DIR.name == "rules"
    assert any(RULES_DIR.glob("routing-*.yaml"))
