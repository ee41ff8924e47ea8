"""Campaign plans: versioned YAML data (``progress/plans/*.yaml``), validated strictly.

A plan is a matrix of items (the business systems) × steps (the migration plan). Each step
has the month of the plan in which it should be reached (counted from 1, the campaign's
first month); an item may shift the whole plan by ``offset_months``. The reporting period
is monthly: the report of a month (the state at its end) is due on ``deadline_day`` of
the next month. ``late_margin`` is the default number of months behind plan from which an
item counts as late (``mamoru.progress.lateness``).

:func:`load_plan` returns a complete :class:`Plan` or raises :class:`PlanError` listing
every problem in Japanese; nothing half-valid is returned. No Django here.
"""

from __future__ import annotations

import functools
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import jsonschema
import yaml

PLANS_DIR: Final = Path(__file__).resolve().parent / "plans"
SCHEMA_PATH: Final = PLANS_DIR / "plan.schema.json"


class PlanError(ValueError):
    """A plan file that cannot be used; ``problems`` lists each one in Japanese."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + " / ".join(problems))


@dataclass(frozen=True, slots=True)
class PlanItem:
    code: str
    name: str
    offset_months: int = 0


@dataclass(frozen=True, slots=True)
class PlanStep:
    number: int
    name: str
    planned_month: int  # 1 = the campaign's first month
    phase: str = ""


@dataclass(frozen=True, slots=True)
class Plan:
    key: str
    version: int
    title: str
    description: str
    example: bool
    months: int
    deadline_day: int
    late_margin: int
    items: tuple[PlanItem, ...]
    steps: tuple[PlanStep, ...]

    @property
    def label(self) -> str:
        return f"{self.key} v{self.version}"

    def to_dict(self) -> dict[str, Any]:
        """The plan as the YAML/JSON it came from (a campaign keeps this snapshot)."""
        return {
            "key": self.key,
            "version": self.version,
            "title": self.title,
            "description": self.description,
            "example": self.example,
            "period": "monthly",
            "months": self.months,
            "deadline_day": self.deadline_day,
            "late_margin": self.late_margin,
            "items": [
                {"code": i.code, "name": i.name, "offset_months": i.offset_months}
                for i in self.items
            ],
            "steps": [
                {
                    "number": s.number,
                    "name": s.name,
                    "phase": s.phase,
                    "planned_month": s.planned_month,
                }
                for s in self.steps
            ],
        }


@functools.cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def _path_of(error: jsonschema.ValidationError) -> str:
    parts = [f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path]
    return "".join(parts).lstrip(".") or "（全体）"


def _rule_problems(data: dict[str, Any]) -> list[str]:
    """What the schema cannot say: unique codes, steps numbered 1..N, months in order."""
    problems = []
    codes = [item["code"] for item in data["items"]]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        problems.append(f"業務コードが重複しています: {', '.join(twice)}")
    numbers = [step["number"] for step in data["steps"]]
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append("ステップは1から順に欠番なく並べてください")
    months = [step["planned_month"] for step in data["steps"]]
    if any(later < earlier for earlier, later in itertools.pairwise(months)):
        problems.append("ステップの予定月は前のステップより前にできません")
    if months and months[-1] > data["months"]:
        problems.append(f"最後のステップの予定月（{months[-1]}）が計画の月数を超えています")
    return problems


def plan_from_data(data: Any, *, source: str = "plan") -> Plan:
    """A :class:`Plan` from already-parsed data, or :class:`PlanError`."""
    if not isinstance(data, dict):
        raise PlanError(source, ["計画はマッピング（キーと値の組）で書いてください"])
    validator = jsonschema.Draft202012Validator(_schema())
    problems = [
        f"{_path_of(e)}: {e.message}"
        for e in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    ]
    if problems:
        raise PlanError(source, problems)
    problems = _rule_problems(data)
    if problems:
        raise PlanError(source, problems)
    return Plan(
        key=data["key"],
        version=data["version"],
        title=data["title"],
        description=data.get("description", "").strip(),
        example=bool(data.get("example", False)),
        months=data["months"],
        deadline_day=data["deadline_day"],
        late_margin=data["late_margin"],
        items=tuple(
            PlanItem(i["code"], i["name"], i.get("offset_months", 0)) for i in data["items"]
        ),
        steps=tuple(
            PlanStep(s["number"], s["name"], s["planned_month"], s.get("phase", ""))
            for s in data["steps"]
        ),
    )


def load_plan(path: Path) -> Plan:
    """Read and validate one plan file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise PlanError(path.name, [f"読み込めません: {error}"]) from error
    return plan_from_data(data, source=path.name)


def available_plans() -> dict[str, Plan]:
    """The plans shipped with mamoru, by key."""
    plans = (load_plan(p) for p in sorted(PLANS_DIR.glob("*.yaml")))
    return {plan.key: plan for plan in plans}
