"""The report form as short steps: what every step shares.

Each step's form shapes only its own part of the content (``content.to_dict`` form):
``initial_from`` reads it from the stored draft, ``apply`` writes it back into a copy of
the draft, and ``services.content_validate`` checks the whole. No question is asked
twice: where the report has both a yes/no fact and a text section on the same subject
(公表, 警察, 委託先), the text is the detail of that one question.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, ClassVar, Final

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.incidents.content import Tlp
from mamoru.incidents.routing import Category

Content = dict[str, Any]

DATE_FORMATS: Final = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d"]
TIME_FORMATS: Final = ["%H:%M", "%H:%M:%S", "%H時%M分", "%H時"]
YES_NO: Final = [("yes", _("はい")), ("no", _("いいえ"))]


@dataclass(frozen=True)
class StepContext:
    """What a step needs besides the draft: the service catalogue of the rule set in force,
    the recipients a TLP:RED section may be shown to, and who is filling it in."""

    services: list[tuple[str, str]] = field(default_factory=list)
    red_recipients: list[tuple[str, str]] = field(default_factory=list)
    person_name: str = ""
    person_email: str = ""
    done: frozenset[str] = frozenset()  # the steps the reporter already finished


def choices_of(table: Mapping[str, tuple[Any, Any]]) -> list[tuple[str, Any]]:
    return [(key, label) for key, (label, _help) in table.items()]


class ExplainedRadio(forms.RadioSelect):
    """Radio buttons whose choices each carry a sentence saying what they mean."""

    def __init__(self, explanations: Mapping[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.explanations = dict(explanations)


class ExplainedCheckboxes(forms.CheckboxSelectMultiple):
    def __init__(self, explanations: Mapping[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.explanations = dict(explanations)


def explanations_of(table: Mapping[str, tuple[Any, Any]]) -> dict[str, Any]:
    return {key: text for key, (_label, text) in table.items()}


def text_field(label: Any, help_text: Any, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def yes_no(label: Any, help_text: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=YES_NO, required=False, widget=forms.RadioSelect, help_text=help_text
    )


def flag(label: Any, help_text: Any) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False, help_text=help_text)


# --- dates and times ------------------------------------------------------------------------


@dataclass(frozen=True)
class Moment:
    """A date (required or not) and an optional time, asked as two boxes."""

    name: str
    legend: Any
    help_text: Any
    required: bool = False


def add_moment(form: forms.Form, moment: Moment) -> None:
    form.fields[f"{moment.name}_date"] = forms.DateField(
        label=_("日付"),
        required=moment.required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("日付を入力してください（例: 2026-01-05）。"),
            "invalid": _("日付は 2026-01-05 のように、年-月-日 の形で入力してください。"),
        },
    )
    form.fields[f"{moment.name}_time"] = forms.TimeField(
        label=_("時刻（分からなければ空欄）"),
        required=False,
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "invalid": _("時刻は 09:30 のように、24時間の 時:分 の形で入力してください。")
        },
    )


def combine(day: date | None, clock: time | None) -> datetime | None:
    """A date alone is taken as 0:00 that day: the earliest it can have been, so that a
    deadline counted from it is never later than the true one."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, clock or time(0, 0)))


def moment_initial(name: str, value: str | None) -> dict[str, Any]:
    if not value:
        return {}
    local = timezone.localtime(datetime.fromisoformat(value))
    return {f"{name}_date": local.date(), f"{name}_time": local.time().replace(second=0)}


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


# --- the base --------------------------------------------------------------------------------


class StepForm(forms.Form):
    """One step of the report. Subclasses declare ``moments`` and implement ``apply``."""

    moments: ClassVar[tuple[Moment, ...]] = ()

    def __init__(self, *args: Any, context: StepContext, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.context = context
        self.notes: list[str] = []
        for moment in self.moments:
            add_moment(self, moment)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for moment in self.moments:
            day, clock = data.get(f"{moment.name}_date"), data.get(f"{moment.name}_time")
            data[moment.name] = combine(day, clock)
            if day is not None and clock is None and f"{moment.name}_time" not in self.errors:
                self.notes.append(
                    str(
                        _(
                            "「%(what)s」は時刻が空欄のため、その日の0:00として保存しました。"
                            "期限は早めに計算されます。分かったら時刻を入れてください。"
                        )
                    )
                    % {"what": moment.legend}
                )
        return data

    def moment_fields(self) -> list[tuple[Moment, Any, Any]]:
        return [(m, self[f"{m.name}_date"], self[f"{m.name}_time"]) for m in self.moments]

    @classmethod
    def initial_from(cls, content: Content, context: StepContext) -> dict[str, Any]:
        return {}

    def apply(self, content: Content) -> Content:
        raise NotImplementedError


def facts_of(content: Content) -> dict[str, Any]:
    facts: dict[str, Any] = content.setdefault("facts", {})
    return facts


def set_section(content: Content, section: str, text: str) -> None:
    sections: dict[str, str] = content.setdefault("sections", {})
    if text.strip():
        sections[section] = text
    else:
        sections.pop(section, None)


def sections_initial(content: Content, *names: str) -> dict[str, Any]:
    sections = content.get("sections", {})
    return {f"text_{n}": sections.get(n, "") for n in names}


def auto_title(category: str, aware: datetime) -> str:
    """The title a report gets until the reporter writes one: the kind and the day noticed
    (Japanese: it is what recipients read)."""
    local = timezone.localtime(aware)
    return f"{Category(category).label}（{local.year}年{local.month}月{local.day}日に認知）"


def blank_content() -> Content:
    """The content a new report starts from, before its first step is applied."""
    return {
        "title": "",
        "facts": {"timeline": {}},
        "sections": {},
        "contact": None,
        "tlp": Tlp.AMBER.value,
        "section_tlp": {},
        "red_recipients": {},
    }


def updated(form: StepForm, content: Content) -> Content:
    """``content`` with ``form``'s answers (a copy: the stored draft is never touched)."""
    return form.apply(copy.deepcopy(content))
