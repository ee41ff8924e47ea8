"""Detection rules in Sigma format, converted to DuckDB SQL with pySigma, and the alerts.

The rules (``rules/*.yml``, the project's own, plus any the operator adds) are ordinary
Sigma rules over the stored events (OCSF column names, addresses as ``src_ip``/``dst_ip``
text), and Sigma correlation rules (``event_count``, ``value_count``) over them. pySigma
parses them; :class:`DuckDBBackend` — a small backend of this project's own, none exists
for DuckDB — turns each detection into a SQL condition; the correlations become a
``GROUP BY … HAVING`` here. A list of known-bad destinations is a placeholder
(``dst_ip|expand: '%known_bad_destinations%'``) answered by a table.

Alerts are deduplicated per (rule, source, municipality, day): the same scan seen in ten
segments of one day is one alert per municipality it touched, with its first and last time
and its count — recomputing a day gives the same alerts, so the Django side can upsert.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar

from sigma.collection import SigmaCollection
from sigma.conversion.base import TextQueryBackend
from sigma.conversion.state import ConversionState
from sigma.correlations import (
    SigmaCorrelationCondition,
    SigmaCorrelationRule,
    SigmaCorrelationType,
)
from sigma.processing.pipeline import ProcessingItem, ProcessingPipeline
from sigma.processing.transformations import QueryExpressionPlaceholderTransformation
from sigma.rule import SigmaRule
from sigma.types import CompareOperators

from mamoru.seccloud.engine.db import EngineConfig, connect
from mamoru.seccloud.engine.store import Store, normalise_prefecture

__all__ = ["BUILTIN_RULES", "Alert", "DuckDBBackend", "Rule", "detect", "load_rules"]

BUILTIN_RULES = Path(__file__).with_name("rules")
_LEVELS = {"informational": 1, "low": 2, "medium": 3, "high": 4, "critical": 5}


class DuckDBBackend(TextQueryBackend):
    """Sigma detections → a DuckDB SQL condition over the events view."""

    name: ClassVar[str] = "mamoru DuckDB"
    formats: ClassVar[dict[str, str]] = {"default": "DuckDB SQL condition"}
    group_expression: ClassVar[str] = "({expr})"
    or_token: ClassVar[str] = "OR"  # noqa: S105 (a SQL token, not a password)
    and_token: ClassVar[str] = "AND"  # noqa: S105 (a SQL token, not a password)
    not_token: ClassVar[str] = "NOT"  # noqa: S105 (a SQL token, not a password)
    eq_token: ClassVar[str] = " = "  # noqa: S105 (a SQL token, not a password)
    field_quote: ClassVar[str] = '"'
    field_quote_pattern: ClassVar[re.Pattern[str]] = re.compile(r"^[a-z_][a-z0-9_]*$")
    field_quote_pattern_negation: ClassVar[bool] = True
    str_quote: ClassVar[str] = "'"
    escape_char: ClassVar[str] = "'"
    wildcard_multi: ClassVar[str] = "%"
    wildcard_single: ClassVar[str] = "_"
    # Sigma matches strings without regard to case.
    eq_expression: ClassVar[str] = "{field} ILIKE {value}"
    wildcard_match_expression: ClassVar[str] = "{field} ILIKE {value}"
    startswith_expression: ClassVar[str] = "{field} ILIKE {value}"
    endswith_expression: ClassVar[str] = "{field} ILIKE {value}"
    contains_expression: ClassVar[str] = "{field} ILIKE {value}"
    re_expression: ClassVar[str] = "regexp_matches({field}, '{regex}')"
    re_escape_char: ClassVar[str] = "'"
    re_escape: ClassVar[list[str]] = ["'"]
    cidr_expression: ClassVar[str] = "ip_in_cidr({field}, '{value}')"
    compare_op_expression: ClassVar[str] = "{field} {operator} {value}"
    compare_operators: ClassVar[dict[CompareOperators, str]] = {
        CompareOperators.LT: "<",
        CompareOperators.LTE: "<=",
        CompareOperators.GT: ">",
        CompareOperators.GTE: ">=",
        CompareOperators.NEQ: "<>",
    }
    field_null_expression: ClassVar[str] = "{field} IS NULL"
    field_in_list_expression: ClassVar[str] = "{field} IN ({list})"
    list_separator: ClassVar[str] = ", "
    bool_values: ClassVar[dict[bool, str | None]] = {True: "true", False: "false"}

    def convert_condition_field_eq_val_num(self, cond: Any, state: ConversionState) -> Any:
        """Numbers compare as numbers (``ILIKE`` is for text)."""
        return f"{self.escape_and_quote_field(cond.field)} = {cond.value}"


def _pipeline() -> ProcessingPipeline:
    return ProcessingPipeline(
        name="mamoru known-bad lists",
        items=[
            ProcessingItem(
                identifier="known_bad_lists",
                transformation=QueryExpressionPlaceholderTransformation(
                    expression="{field} IN (SELECT ip FROM known_bad WHERE list = '{id}')"
                ),
            )
        ],
    )


@dataclass(frozen=True)
class Rule:
    """One alerting rule: a condition, and (for correlations) its aggregation."""

    rule_id: str
    title: str
    level: str
    where: str
    group_by: tuple[str, ...] = ()
    aggregate: str = ""  # e.g. "count(DISTINCT org_uid) >= 10"

    @property
    def severity_id(self) -> int:
        return _LEVELS.get(self.level, 3)


def _condition(backend: DuckDBBackend, rule: SigmaRule) -> str:
    # A rule a correlation refers to has its own output turned off; its condition is needed.
    output = rule._output
    rule._output = True
    try:
        queries = backend.convert_rule(rule)
    finally:
        rule._output = output
    return " OR ".join(f"({q})" for q in queries)


def _aggregate(correlation: SigmaCorrelationRule) -> str:
    cond = correlation.condition
    if not isinstance(cond, SigmaCorrelationCondition):
        raise ValueError(f"{correlation.title}: 拡張された相関条件には対応していません")
    op = {"gte": ">=", "gt": ">", "lte": "<=", "lt": "<", "eq": "="}[cond.op.name.lower()]
    if correlation.type == SigmaCorrelationType.VALUE_COUNT:
        return f'count(DISTINCT "{cond.fieldref}") {op} {int(cond.count)}'
    if correlation.type == SigmaCorrelationType.EVENT_COUNT:
        return f"count(*) {op} {int(cond.count)}"
    raise ValueError(f"相関ルールの種類 {correlation.type} には対応していません")


def load_rules(paths: Iterable[Path] = (BUILTIN_RULES,)) -> list[Rule]:
    """Read Sigma rules (files or folders of ``*.yml``); convert them to SQL.

    A rule that a correlation refers to alerts only through the correlation (Sigma's
    default ``generate: false``).
    """
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.yml")) if path.is_dir() else [path])
    collection = SigmaCollection.merge(
        [SigmaCollection.from_yaml(f.read_text(encoding="utf-8")) for f in files]
    )
    collection.resolve_rule_references()
    backend = DuckDBBackend(_pipeline())
    rules: list[Rule] = []
    referenced: set[str] = set()
    for item in collection:
        if isinstance(item, SigmaCorrelationRule):
            bases = [ref.rule for ref in item.rules or [] if isinstance(ref.rule, SigmaRule)]
            referenced.update(str(base.id) for base in bases)
            where = " OR ".join(f"({_condition(backend, base)})" for base in bases)
            rules.append(
                Rule(
                    str(item.id), item.title, str(item.level.name).lower() if item.level else "medium",
                    where, tuple(item.group_by or ()), _aggregate(item),
                )
            )  # fmt: skip
    for item in collection:
        if isinstance(item, SigmaRule) and str(item.id) not in referenced:
            level = str(item.level.name).lower() if item.level else "medium"
            rules.append(Rule(str(item.id), item.title, level, _condition(backend, item)))
    return rules


@dataclass(frozen=True)
class Alert:
    """One deduplicated alert: a rule, a source, a municipality, a day."""

    rule_id: str
    title: str
    level: str
    severity_id: int
    source: str
    organisation: str | None
    day: date
    first_seen: datetime
    last_seen: datetime
    events: int


_EVENTS_VIEW = """CREATE OR REPLACE TEMP VIEW ev AS
  SELECT *, ip4_text(src_endpoint_ip) AS src_ip, ip4_text(dst_endpoint_ip) AS dst_ip
  FROM read_parquet({files}, hive_partitioning = true, union_by_name = true)"""


def _alerts_sql(rule: Rule) -> str:
    """Alerts of one rule: groups of (source, municipality, day) with their counts."""
    base = f"SELECT * FROM ev WHERE ({rule.where})"
    if rule.aggregate:
        keys = ", ".join(f'"{k}"' for k in (*rule.group_by, "day"))
        passing = f"SELECT {keys} FROM ({base}) GROUP BY {keys} HAVING {rule.aggregate}"
        joined = " AND ".join(
            f'b."{k}" IS NOT DISTINCT FROM p."{k}"' for k in (*rule.group_by, "day")
        )
        base = f"SELECT b.* FROM ({base}) b SEMI JOIN ({passing}) p ON {joined}"
    return f"""SELECT coalesce(src_ip, '-') AS source, org_uid, day, min(time), max(time), count(*)
               FROM ({base}) GROUP BY ALL ORDER BY day, org_uid, source"""


def detect(
    *,
    store: Path,
    prefecture: str,
    days: Sequence[date],
    rules: Sequence[Rule] | None = None,
    known_bad: dict[str, Sequence[str]] | None = None,
    config: EngineConfig | None = None,
) -> list[Alert]:
    """Run ``rules`` (the built-in ones by default) over the events of ``days``.

    ``known_bad`` maps a list name (the rule's placeholder, e.g. ``known_bad_destinations``)
    to its addresses (an imported list of command-and-control or phishing hosts).
    """
    pref = normalise_prefecture(prefecture)
    root = Store(store)
    files = [
        str(p)
        for d in days
        for p in (root.events / f"pref={pref}" / f"ym={d:%Y-%m}" / f"day={d.isoformat()}").glob(
            "*.parquet"
        )
    ]
    if not files:
        return []
    con = connect(config)
    try:
        con.execute("CREATE TEMP TABLE known_bad (list VARCHAR, ip VARCHAR)")
        rows = [(name, ip) for name, ips in (known_bad or {}).items() for ip in ips]
        if rows:
            con.executemany("INSERT INTO known_bad VALUES (?, ?)", rows)
        listed = "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"
        con.execute(_EVENTS_VIEW.format(files=listed))
        alerts: list[Alert] = []
        for rule in rules if rules is not None else load_rules():
            for source, org, day, first, last, count in con.execute(_alerts_sql(rule)).fetchall():
                alerts.append(
                    Alert(
                        rule.rule_id, rule.title, rule.level, rule.severity_id, str(source),
                        org, day, first, last, int(count),
                    )
                )  # fmt: skip
    finally:
        con.close()
    return alerts
