"""Campaign plans: the shipped example loads, and broken plans are refused with every
problem named in Japanese."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mamoru.progress.plan import PlanError, available_plans, load_plan, plan_from_data
from mamoru.progress.testing import EXAMPLE_PLAN


def example() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE_PLAN.read_text(encoding="utf-8"))
    return data


def test_the_example_plan_is_20_items_by_40_steps_and_marked_as_an_example() -> None:
    plan = load_plan(EXAMPLE_PLAN)
    assert (len(plan.items), len(plan.steps)) == (20, 40)
    assert plan.example
    assert "例" in plan.title
    assert "例" in plan.description
    assert {"住民基本台帳", "戸籍", "子ども・子育て支援"} <= {i.name for i in plan.items}
    assert plan.to_dict()["steps"][39]["number"] == 40
    assert available_plans()["standardisation-example"] == plan


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["items"].append(dict(d["items"][0])), "業務コードが重複"),
        (lambda d: d["steps"].pop(3), "欠番なく"),
        (lambda d: d["steps"][5].update(planned_month=1), "前のステップより前"),
        (lambda d: d.update(months=10), "計画の月数を超えて"),
        (lambda d: d.update(period="weekly"), "period"),
        (lambda d: d["items"][0].pop("name"), "items[0]"),
        (lambda d: d.update(colour="red"), "colour"),
    ],
)
def test_a_broken_plan_is_refused_naming_the_problem(change: Any, message: str) -> None:
    data = example()
    change(data)
    with pytest.raises(PlanError) as refused:
        plan_from_data(data)
    assert any(message in problem for problem in refused.value.problems), refused.value.problems


def test_a_file_that_is_not_yaml_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("key: [unclosed", encoding="utf-8")
    with pytest.raises(PlanError, match=r"broken\.yaml"):
        load_plan(broken)
    with pytest.raises(PlanError, match="マッピング"):
        plan_from_data(["not", "a", "mapping"])
