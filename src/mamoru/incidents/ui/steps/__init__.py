"""The report form as a task list of short steps (GOV.UK "one thing per page").

``STEPS`` lists them in order; a step that does not apply to the draft (the details of
personal data when none leaked) is skipped. Each step is a form that reads its part of
the draft and writes it back (``steps.base.StepForm``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mamoru.incidents.ui.steps.base import (
    Content,
    StepContext,
    StepForm,
    auto_title,
    blank_content,
    updated,
)
from mamoru.incidents.ui.steps.happened import (
    CauseStep,
    IncidentStep,
    OverviewStep,
    ServicesStep,
    SeverityStep,
    SystemsStep,
    TimelineStep,
)
from mamoru.incidents.ui.steps.others import ContactStep, OthersStep, SharingStep
from mamoru.incidents.ui.steps.personal import MyNumberStep, PersonalDetailsStep, PersonalStep


def _always(content: Content) -> bool:
    return True


def _personal_data(content: Content) -> bool:
    return bool(content.get("facts", {}).get("personal_data"))


def _my_number(content: Content) -> bool:
    personal = content.get("facts", {}).get("personal_data") or {}
    return bool(personal.get("my_number"))


@dataclass(frozen=True)
class Step:
    key: str
    title: str | Promise  # the task list's name of the step
    form: type[StepForm]
    required: bool = False  # the report cannot exist without it
    applies: Callable[[Content], bool] = _always


STEPS: Final[tuple[Step, ...]] = (
    Step("incident", _("何が起きたか・いつ気づいたか"), IncidentStep, required=True),
    Step("overview", _("概要と件名"), OverviewStep),
    Step("severity", _("深刻さ"), SeverityStep),
    Step("systems", _("影響を受けたシステム"), SystemsStep),
    Step("services", _("止まった業務・住民への影響"), ServicesStep),
    Step("personal", _("個人情報"), PersonalStep),
    Step(
        "personal_details",
        _("個人情報の詳しい内容"),
        PersonalDetailsStep,
        applies=_personal_data,
    ),
    Step("my_number", _("マイナンバーを含む情報"), MyNumberStep, applies=_my_number),
    Step("cause", _("原因と対応"), CauseStep),
    Step("contact", _("問い合わせ先"), ContactStep),
    # Last, what a first report may leave out: the check page is one click from any step.
    Step("timeline", _("その他の日時と経緯"), TimelineStep),
    Step("others", _("公表・警察・委託先"), OthersStep),
    Step("sharing", _("共有範囲（TLP）"), SharingStep),
)
BY_KEY: Final[dict[str, Step]] = {step.key: step for step in STEPS}


def applicable(content: Content) -> list[Step]:
    """The steps that apply to ``content``, in order."""
    return [step for step in STEPS if step.applies(content)]


def next_step(content: Content, after: str) -> Step | None:
    """The step after ``after`` among those that apply (None after the last one)."""
    shown = applicable(content)
    keys = [s.key for s in shown]
    if after not in keys:
        return shown[0] if shown else None
    index = keys.index(after) + 1
    return shown[index] if index < len(shown) else None


def previous_step(content: Content, before: str) -> Step | None:
    shown = applicable(content)
    keys = [s.key for s in shown]
    if before not in keys or keys.index(before) == 0:
        return None
    return shown[keys.index(before) - 1]


@dataclass(frozen=True)
class Progress:
    """How far the reporter is: steps done among those that apply, and each step's state."""

    done: int
    total: int
    rows: list[tuple[Step, bool]]  # (step, finished)

    @property
    def next_todo(self) -> Step | None:
        return next((step for step, finished in self.rows if not finished), None)


def progress(content: Content, done: list[str]) -> Progress:
    shown = applicable(content)
    rows = [(step, step.key in done) for step in shown]
    return Progress(sum(1 for _s, finished in rows if finished), len(rows), rows)


def form_for(step: Step, content: Content, context: StepContext, data: Any = None) -> StepForm:
    """The form of ``step``: bound to ``data`` when posted, else filled from ``content``."""
    if data is not None:
        return step.form(data, context=context)
    return step.form(initial=step.form.initial_from(content, context), context=context)


__all__ = [
    "BY_KEY",
    "STEPS",
    "Content",
    "Progress",
    "Step",
    "StepContext",
    "StepForm",
    "applicable",
    "auto_title",
    "blank_content",
    "form_for",
    "next_step",
    "previous_step",
    "progress",
    "updated",
]
