"""The forms of the progress pages. They only parse input; the services decide."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mamoru.progress.audience_form import INPUT, AudienceFields
from mamoru.progress.converters import parse_month
from mamoru.progress.models import DelayReason, FollowUpKind, ItemReport, QuestionCategory
from mamoru.progress.schedule import CampaignPlan
from mamoru.progress.services import ItemEntry


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "input"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def _month_text(value: date | None) -> str:
    return f"{value:%Y-%m}" if value else ""


class ReportForm(forms.Form):
    """One row of fields per item: the step reached, when, and why it is late."""

    def __init__(self, plan: CampaignPlan, rows: Sequence[ItemReport], *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.plan = plan
        initial = {row.item_id: row for row in rows}
        steps = [(0, _("0 未着手"))] + [(s.number, f"{s.number} {s.name}") for s in plan.steps]
        reasons = [("", _("（なし）")), *DelayReason.choices]
        for item in plan.items:
            row = initial.get(item.pk)
            code = item.code
            self.fields[f"step-{code}"] = forms.TypedChoiceField(
                label=_("%(item)sの到達したステップ") % {"item": item.name},
                choices=steps,
                coerce=int,
                initial=row.step if row else 0,
                widget=forms.Select(attrs={"class": "input input--step"}),
            )
            self.fields[f"reached-{code}"] = forms.CharField(
                label=_("%(item)sの到達した月") % {"item": item.name},
                required=False,
                initial=_month_text(row.reached_month if row else None),
                widget=forms.TextInput(
                    attrs={"class": "input input--month", "type": "month", "placeholder": "2025-04"}
                ),
            )
            self.fields[f"reason-{code}"] = forms.ChoiceField(
                label=_("%(item)sの遅れの理由") % {"item": item.name},
                choices=reasons,
                required=False,
                initial=row.delay_reason if row else "",
                widget=forms.Select(attrs=INPUT),
            )
            self.fields[f"note-{code}"] = forms.CharField(
                label=_("%(item)sの遅れの理由（詳しく）") % {"item": item.name},
                required=False,
                max_length=2000,
                initial=row.delay_note if row else "",
                widget=forms.Textarea(attrs={"class": "input", "rows": 1}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for item in self.plan.items:
            text = cleaned.get(f"reached-{item.code}", "")
            if text and parse_month(text) is None:
                self.add_error(f"reached-{item.code}", _("2025-04 の形で入力してください。"))
        return cleaned

    def rows(self) -> list[tuple[Any, ...]]:
        """(item, step, reached, reason, note) bound fields, in plan order."""
        return [
            (
                item,
                self[f"step-{item.code}"],
                self[f"reached-{item.code}"],
                self[f"reason-{item.code}"],
                self[f"note-{item.code}"],
            )
            for item in self.plan.items
        ]

    def entries(self) -> dict[str, ItemEntry]:
        data = self.cleaned_data
        return {
            item.code: ItemEntry(
                step=data[f"step-{item.code}"],
                reached_month=parse_month(data.get(f"reached-{item.code}", "")),
                delay_reason=data.get(f"reason-{item.code}", ""),
                delay_note=data.get(f"note-{item.code}", ""),
            )
            for item in self.plan.items
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel または CSV のファイル"),
        help_text=_(
            "書き出したファイルに入力して取り込みます。1行でも誤りがあれば何も変わりません。"
        ),
        widget=forms.ClearableFileInput(attrs={**INPUT, "accept": ".xlsx,.csv"}),
    )


class AttachForm(forms.Form):
    file = forms.FileField(
        label=_("添付するファイル"), widget=forms.ClearableFileInput(attrs=INPUT)
    )


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("種類"), choices=FollowUpKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("内容"), max_length=4000, widget=forms.Textarea(attrs={**INPUT, "rows": 3})
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("回答"), max_length=20000, widget=forms.Textarea(attrs={**INPUT, "rows": 5})
    )


class ForwardForm(forms.Form):
    note = forms.CharField(
        label=_("国へのメモ"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={**INPUT, "rows": 3}),
    )


class NoticeForm(AudienceFields):
    title = forms.CharField(label=_("件名"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    body = forms.CharField(
        label=_("本文"),
        max_length=20000,
        help_text=_("Markdown で書けます（見出し、箇条書き、リンク、表）。HTML は使えません。"),
        widget=forms.Textarea(attrs={**INPUT, "rows": 10}),
    )
    confirm_by = forms.DateField(
        label=_("内容の確認の期限"),
        required=False,
        help_text=_("期限を決めると、確認していない団体に期限の3日前と期限後に催促します。"),
        widget=forms.DateInput(attrs={**INPUT, "type": "date"}),
    )
    attachments = MultipleFileField(label=_("添付ファイル"))
    field_order = ["title", "body", "audience", "prefecture_code", "kinds", "bands", "codes"]


class QuestionForm(forms.Form):
    category = forms.ChoiceField(
        label=_("分類"), choices=QuestionCategory.choices, widget=forms.Select(attrs=INPUT)
    )
    title = forms.CharField(label=_("件名"), max_length=200, widget=forms.TextInput(attrs=INPUT))
    body = forms.CharField(
        label=_("質問"), max_length=10000, widget=forms.Textarea(attrs={**INPUT, "rows": 8})
    )
    may_name_organisation = forms.BooleanField(
        label=_("よくある質問に載せるとき、団体名を出してもよい"),
        required=False,
        help_text=_("選ばなければ、よくある質問には団体名を出しません。"),
    )
    attachments = MultipleFileField(label=_("添付ファイル"))


class FaqForm(forms.Form):
    category = forms.ChoiceField(
        label=_("分類"), choices=QuestionCategory.choices, widget=forms.Select(attrs=INPUT)
    )
    title = forms.CharField(
        label=_("質問（見出し）"), max_length=200, widget=forms.TextInput(attrs=INPUT)
    )
    body = forms.CharField(
        label=_("質問の内容"),
        max_length=10000,
        help_text=_("団体名や担当者名など、質問した団体が分かる内容は消してください。"),
        widget=forms.Textarea(attrs={**INPUT, "rows": 6}),
    )
    answer = forms.CharField(
        label=_("回答"),
        max_length=20000,
        help_text=_("Markdown で書けます。"),
        widget=forms.Textarea(attrs={**INPUT, "rows": 8}),
    )
    name_organisation = forms.BooleanField(
        label=_("質問した団体名を載せる（団体が同意している場合のみ）"), required=False
    )


class FaqSearchForm(forms.Form):
    q = forms.CharField(
        label=_("キーワード"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={**INPUT, "type": "search"}),
    )
    category = forms.ChoiceField(
        label=_("分類"),
        required=False,
        choices=[("", _("すべて")), *QuestionCategory.choices],
        widget=forms.Select(attrs=INPUT),
    )
