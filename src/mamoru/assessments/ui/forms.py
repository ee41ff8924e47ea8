"""The forms of the assessment pages. They only shape input: every rule is the services'."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mamoru.accounts.models import User
from mamoru.assessments.library import Item
from mamoru.assessments.models import Framework, ReviewDecision

CODES = re.compile(r"[\s,、]+")


class CampaignForm(forms.Form):
    framework = forms.ModelChoiceField(
        label=_("調査票（フレームワーク）"),
        queryset=Framework.objects.none(),
        empty_label=None,
        help_text=_("団体に回答してもらう項目の一覧です。版ごとに登録されています。"),
    )
    title = forms.CharField(
        label=_("調査名"),
        max_length=200,
        help_text=_("例: 令和8年度 情報セキュリティ対策の実施状況調査"),
        widget=forms.TextInput(attrs={"class": "input", "autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("説明"),
        required=False,
        help_text=_("調査の目的や問い合わせ先など、回答する団体に伝えたいことです。"),
        widget=forms.Textarea(attrs={"class": "input", "rows": 4}),
    )
    deadline = forms.DateTimeField(
        label=_("回答期限"),
        help_text=_("この日時を過ぎても締め切るまでは回答できます。7日前と前日に通知します。"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "input"}),
    )
    organisations = forms.CharField(
        label=_("対象とする団体"),
        required=False,
        help_text=_(
            "団体コード（6桁）を改行か読点で区切って入力します。空欄のときは、"
            "貴団体が調査できるすべての団体（総務省はすべての地方公共団体、都道府県は"
            "自らと域内の市区町村）に送ります。"
        ),
        widget=forms.Textarea(attrs={"class": "input", "rows": 3}),
    )

    def __init__(self, *args: Any, frameworks: QuerySet[Framework], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["framework"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = frameworks

    def organisation_codes(self) -> list[str] | None:
        text = self.cleaned_data.get("organisations", "")
        codes = [code for code in CODES.split(text) if code]
        return codes or None


class AnswerForm(forms.Form):
    """One item's answer: the option (empty clears it) and the comment."""

    option = forms.ChoiceField(required=False)
    comment = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["option"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", ""), *((o.id, o.label.ja) for o in item.answers.options)]


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("担当者"), required=False)

    def __init__(self, *args: Any, people: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        field = self.fields["assignee"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("割り当てない")), *((k, str(p)) for k, p in self.people.items())]

    def person(self) -> User | None:
        return self.people.get(self.cleaned_data.get("assignee") or "")


class FileForm(forms.Form):
    file = forms.FileField(label=_("ファイル"))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("確認の結果"),
        choices=ReviewDecision.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("コメント"),
        required=False,
        max_length=2000,
        help_text=_("差し戻すときは、どの項目をどう直してほしいかを書いてください。"),
        widget=forms.Textarea(attrs={"class": "input", "rows": 4}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("フォローアップのメモ"),
        max_length=2000,
        help_text=_("連絡した内容や支援の予定を記録します。回答した団体には表示されません。"),
        widget=forms.Textarea(attrs={"class": "input", "rows": 3}),
    )
