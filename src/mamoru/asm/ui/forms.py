"""Forms of the attack-surface pages: they shape input; the services validate it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.asm.models import AssetKind, FindingStatus, Priority
from mamoru.asm.selectors import FindingFilters, TableFilters

_INPUT = {"class": "input"}


class AssetForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("種類"),
        choices=AssetKind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "ドメイン（例: city.example.lg.jp）は DNS とメールの設定も確認します。"
            "ホスト名（例: www.city.example.lg.jp）、IPアドレス、アドレス範囲（例: 203.0.113.0/28）、"
            "URL（例: https://portal.city.example.lg.jp/）を登録できます。"
        ),
    )
    value = forms.CharField(label=_("値"), max_length=300, widget=forms.TextInput(attrs=_INPUT))
    ports = forms.CharField(
        label=_("追加で診断するポート"),
        required=False,
        max_length=200,
        help_text=_(
            "標準のポートのほかに診断するポート（例: 8443,10443）。分からなければ空欄で構いません。"
        ),
        widget=forms.TextInput(attrs=_INPUT),
    )
    owner = forms.CharField(
        label=_("担当（部署・担当者・委託先）"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs=_INPUT),
    )
    note = forms.CharField(
        label=_("メモ"), required=False, widget=forms.Textarea(attrs={**_INPUT, "rows": 3})
    )


class AssetEditForm(forms.Form):
    ports = AssetForm.base_fields["ports"]
    owner = AssetForm.base_fields["owner"]
    note = AssetForm.base_fields["note"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV または Excel のファイル"),
        help_text=_(
            "1行目に「種類」「値」（必要なら「ポート」「担当」「メモ」）の見出しを入れてください。"
            "種類は「ドメイン」「ホスト名」「IPアドレス」「アドレス範囲」「URL」のいずれかです。"
            "1行でも誤りがあれば何も取り込まず、誤りのある行をすべてお知らせします。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


STATUS_CHOICES = [
    ("unresolved", _("未解決（未対応・対応中・修正確認中）")),
    *FindingStatus.choices,
    ("all", _("すべて")),
]


class FindingFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状態"), choices=STATUS_CHOICES, required=False, widget=forms.Select(attrs=_INPUT)
    )
    priority = forms.TypedChoiceField(
        label=_("優先度"),
        choices=[("", _("すべて")), *Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs=_INPUT),
    )
    kev = forms.BooleanField(label=_("攻撃に使われている脆弱性（KEV）だけ"), required=False)
    q = forms.CharField(
        label=_("検索"),
        required=False,
        max_length=100,
        help_text=_("件名、脆弱性の番号（CVE）、ホスト名、アドレス、製品名で探せます。"),
        widget=forms.TextInput(attrs={**_INPUT, "type": "search"}),
    )

    def filters(self) -> FindingFilters:
        if not self.is_valid():
            return FindingFilters()
        data: dict[str, Any] = self.cleaned_data
        return FindingFilters(
            status=data.get("status") or "",
            priority=data.get("priority"),
            kev=bool(data.get("kev")),
            query=(data.get("q") or "").strip(),
        )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("メモ（任意）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={**_INPUT, "rows": 2}),
    )


class AcceptRiskForm(forms.Form):
    reason = forms.CharField(
        label=_("リスクを受容する理由"),
        max_length=2000,
        help_text=_("例: 来月の機器更新で撤去するため、それまでは接続元を制限して使う。"),
        widget=forms.Textarea(attrs={**_INPUT, "rows": 3}),
    )
    until = forms.DateField(
        label=_("期限"),
        help_text=_("この日を過ぎると、自動的に未対応に戻ります（1年以内）。"),
        widget=forms.DateInput(attrs={**_INPUT, "type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["until"].initial = timezone.localdate() + dt.timedelta(days=90)


SHOW_CHOICES = [
    ("", _("すべての市区町村")),
    ("exposed", _("攻撃に使われている脆弱性（KEV）がある団体")),
    ("never", _("まだ診断していない団体")),
]
SORT_CHOICES = [
    ("kev", _("KEV の多い順")),
    ("overdue", _("期限切れの KEV の多い順")),
    ("urgent", _("最優先の多い順")),
    ("open", _("未解決の多い順")),
    ("scanned", _("診断が古い順")),
    ("name", _("団体コード順")),
]


class PrefectureTableForm(forms.Form):
    q = forms.CharField(
        label=_("団体名"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={**_INPUT, "type": "search"}),
    )
    show = forms.ChoiceField(
        label=_("表示"), choices=SHOW_CHOICES, required=False, widget=forms.Select(attrs=_INPUT)
    )
    sort = forms.ChoiceField(
        label=_("並べ方"), choices=SORT_CHOICES, required=False, widget=forms.Select(attrs=_INPUT)
    )

    def filters(self) -> TableFilters:
        if not self.is_valid():
            return TableFilters()
        data = self.cleaned_data
        return TableFilters(query=data["q"].strip(), show=data["show"], sort=data["sort"] or "kev")


class CampaignForm(forms.Form):
    name = forms.CharField(
        label=_("名称"),
        max_length=200,
        initial=_("全国診断"),
        widget=forms.TextInput(attrs=_INPUT),
    )
    prefecture = forms.ChoiceField(
        label=_("対象"), required=False, widget=forms.Select(attrs=_INPUT)
    )

    def __init__(self, *args: Any, prefectures: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["prefecture"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("全国")), *prefectures]
