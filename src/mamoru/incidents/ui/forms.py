"""The small forms of the incident pages (the report itself is ``ui.steps``): messages,
the CISO's choice, reopening, the notice to individuals, reports made outside the
platform, deputies, the inbox's filters and the comparison of two versions.

Forms only shape input; services check it again and refuse in Japanese.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamoru.incidents.models import NoticeStatus, OutsideMethod
from mamoru.incidents.ui import labels
from mamoru.incidents.ui.steps.base import DATE_FORMATS, TIME_FORMATS, combine

_PATHS: Final[dict[str, str]] = {
    "title": "title",
    "facts.category": "category",
    "facts.severity": "severity",
    "contact.name": "contact_name",
    "contact.email": "contact_email",
    "tlp": "tlp",
}


def field_for_path(path: str) -> str | None:
    """The form field of a content path such as ``facts.timeline.aware`` (``aware_date``)."""
    if path in _PATHS:
        return _PATHS[path]
    head, _sep, tail = path.rpartition(".")
    if head == "facts.timeline":
        return f"{tail}_date"
    if head in {"facts.personal_data", "facts"}:
        return tail
    if head == "sections":
        return f"text_{tail}"
    if head in {"section_tlp", "red_recipients"}:
        return f"{'tlp' if head == 'section_tlp' else 'red'}_{tail}"
    return None


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("連絡の本文"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("相手の団体の担当者だけが読めます。5000文字まで。"),
    )


class SubmitForm(forms.Form):
    """The CISO's choice: an interim report (第一報 / 続報) or the final one (確報)."""

    final = forms.TypedChoiceField(
        label=_("報告の段階"),
        coerce=lambda value: value == "final",
        choices=[],
        widget=forms.RadioSelect,
        help_text=_(
            "すべて分かり、対応が終わったときは「確報」です。確報を出すと報告は完了します。"
        ),
    )

    def __init__(self, *args: Any, first: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        interim = _("第一報（分かっていることだけで早く知らせる）") if first else _("続報")
        self.fields["final"].choices = [  # type: ignore[attr-defined]
            ("interim", interim),
            ("final", _("確報（最終の報告）")),
        ]
        self.fields["final"].initial = "interim"


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("再開する理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例: 確報の後に新たな被害が分かったため。監査ログに残ります。"),
    )


class NoticeForm(forms.Form):
    """Where the notice to the people whose data it is stands (本人への通知)."""

    status = forms.ChoiceField(
        label=_("本人への通知の状況"),
        choices=[(s.value, s.label) for s in NoticeStatus if s.value],
        widget=forms.RadioSelect,
        error_messages={"required": _("本人への通知の状況を選んでください。")},
    )
    note = forms.CharField(
        label=_("記録（通知の方法・日付・人数など）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("通知しない場合や代わりの措置をとった場合は、その内容を必ず書いてください。"),
    )


class _MomentForm(forms.Form):
    """A date and an optional time, as the report's steps ask them."""

    date = forms.DateField(
        label=_("日付"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("日付を入力してください（例: 2026-01-05）。"),
            "invalid": _("日付は 2026-01-05 のように、年-月-日 の形で入力してください。"),
        },
    )
    time = forms.TimeField(
        label=_("時刻（分からなければ空欄）"),
        required=False,
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "invalid": _("時刻は 09:30 のように、24時間の 時:分 の形で入力してください。")
        },
    )

    def moment(self) -> datetime:
        combined = combine(self.cleaned_data["date"], self.cleaned_data.get("time"))
        assert combined is not None  # the date is required
        return combined


class OutsideForm(_MomentForm):
    """The reporter told a recipient without anyone on the platform by other means."""

    method = forms.ChoiceField(
        label=_("伝えた方法"),
        choices=OutsideMethod.choices,
        widget=forms.RadioSelect,
        initial=OutsideMethod.PHONE,
    )
    contact_person = forms.CharField(
        label=_("相手の担当者（分かれば）"), required=False, max_length=100
    )
    note = forms.CharField(
        label=_("メモ"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例: 受付番号、折り返しの予定など。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["date"].label = _("伝えた日付")


class DeputyForm(_MomentForm):
    """Naming a deputy approver until a given moment."""

    user = forms.TypedChoiceField(label=_("代理者"), coerce=int, choices=[])
    reason = forms.CharField(
        label=_("理由"), max_length=200, help_text=_("例: CISOの出張（1月5日〜1月9日）のため")
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = people  # type: ignore[attr-defined]
        self.fields["date"].label = _("代理の終了日")
        self.fields["time"].label = _("終了時刻（空欄なら終了日の24:00）")

    def moment(self) -> datetime:
        if self.cleaned_data.get("time") is None:  # through the end of that day
            day = self.cleaned_data["date"]
            return timezone.make_aware(datetime.combine(day, datetime.max.time()))
        return super().moment()


class InboxFilterForm(forms.Form):
    """The inbox's filters and sort, read from the query string (unknown values ignored)."""

    status = forms.ChoiceField(
        label=_("状態"),
        required=False,
        choices=[
            ("", _("すべて")),
            ("unacknowledged", _("受領未確認")),
            ("acknowledged", _("受領確認済み")),
            ("overdue", _("確報の期限切れ")),
            ("due_soon", _("確報の期限が2日以内")),
            ("current", _("各報告の最新の版だけ")),
        ],
    )
    category = forms.ChoiceField(label=_("種別"), required=False, choices=[])
    severity = forms.ChoiceField(label=_("深刻度"), required=False, choices=[])
    prefecture = forms.ChoiceField(label=_("都道府県"), required=False, choices=[])
    order = forms.ChoiceField(
        label=_("並び順"),
        required=False,
        choices=[
            ("attention", _("対応が必要なものから")),
            ("newest", _("届いた日時が新しい順")),
            ("oldest", _("届いた日時が古い順")),
            ("due", _("確報の期限が近い順")),
            ("reporter", _("報告した団体のコード順")),
        ],
    )

    def __init__(self, *args: Any, prefectures: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("すべて"))]
        self.fields["category"].choices = every + [  # type: ignore[attr-defined]
            (key, label) for key, (label, _help) in labels.CATEGORIES.items()
        ]
        self.fields["severity"].choices = every + [  # type: ignore[attr-defined]
            (key, label) for key, (label, _help) in labels.SEVERITIES.items()
        ]
        self.fields["prefecture"].choices = every + prefectures  # type: ignore[attr-defined]

    def values(self) -> dict[str, str]:
        """The valid filters (an invalid one is dropped, not refused)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) or "" for name in self.fields if name not in self.errors}


class CompareForm(forms.Form):
    """Two versions of an own report to compare."""

    from_version = forms.TypedChoiceField(label=_("比べる元の版"), coerce=int, choices=[])
    to_version = forms.TypedChoiceField(label=_("比べる先の版"), coerce=int, choices=[])

    def __init__(self, *args: Any, versions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from_version"].choices = versions  # type: ignore[attr-defined]
        self.fields["to_version"].choices = versions  # type: ignore[attr-defined]
