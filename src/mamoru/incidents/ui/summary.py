"""The check-your-answers page: every step's answers as the reporter gave them, read back
from the draft through the steps' own forms (so the page can never disagree with them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.incidents.ui import labels
from mamoru.incidents.ui.present import Row
from mamoru.incidents.ui.steps import Content, Step, StepContext, applicable, form_for

LONGEST = 300  # characters of a text shown on the summary


@dataclass(frozen=True)
class StepAnswers:
    step: Step
    rows: list[Row]
    done: bool


def _choice_label(field: forms.ChoiceField, value: Any) -> str:
    choices: Any = field.choices
    found = {str(k): v for k, v in choices}
    return str(found.get(str(value), value))


def _shown(field: forms.Field, value: Any) -> str:
    if isinstance(field, forms.MultipleChoiceField):
        return "、".join(_choice_label(field, v) for v in value) or _("なし")
    if isinstance(field, forms.ChoiceField):
        return _choice_label(field, value)
    text = str(value)
    return text if len(text) <= LONGEST else text[:LONGEST] + "…"


def _moment(day: date | None, clock: time | None) -> str:
    """The moment in the pages' one style (``labels.when``); a date alone says so."""
    if day is None:
        return ""
    if clock is None:
        shown = labels.when(timezone.make_aware(datetime.combine(day, time(0, 0))))
        return _("%(day)s（時刻は未記入）") % {"day": shown.rsplit(" ", 1)[0]}
    return labels.when(timezone.make_aware(datetime.combine(day, clock)))


def _moment_rows(form: Any, initial: dict[str, Any]) -> list[Row]:
    rows = []
    for moment in form.moments:
        shown = _moment(initial.get(f"{moment.name}_date"), initial.get(f"{moment.name}_time"))
        if shown or moment.required:
            rows.append(Row(str(moment.legend), shown or _("未記入")))
    return rows


def answers(step: Step, content: Content, context: StepContext) -> list[Row]:
    """The answers of one step, question by question; ticks gathered in one row."""
    form = form_for(step, content, context)
    initial = step.form.initial_from(content, context)
    rows = _moment_rows(form, initial)
    ticked: list[str] = []
    moment_fields = {f"{m.name}_{part}" for m in form.moments for part in ("date", "time")}
    for name, field in form.fields.items():
        if name in moment_fields:
            continue
        value = initial.get(name, field.initial)
        if isinstance(field, forms.BooleanField):
            if value:
                ticked.append(str(field.label))
            continue
        if value in (None, "", []):
            if field.required:
                rows.append(Row(str(field.label), _("未記入")))
            continue
        rows.append(Row(str(field.label), _shown(field, value)))
    if any(isinstance(f, forms.BooleanField) for f in form.fields.values()):
        rows.append(Row(_("当てはまるもの"), "、".join(ticked) or _("なし")))
    return rows or [Row(_("回答"), _("まだ入力していません"))]


def check_answers(content: Content, context: StepContext, done: list[str]) -> list[StepAnswers]:
    """Every step that applies to ``content``, with its answers and whether it was finished."""
    return [
        StepAnswers(step, answers(step, content, context), step.key in done)
        for step in applicable(content)
    ]


def tlp_label(value: str) -> str:
    return labels.label(labels.TLPS, value)
