"""The audit log page's filters, read from the query string (bookmarkable, no JS needed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mamoru.audit.actions import declared
from mamoru.audit.models import Outcome
from mamoru.audit.selectors import AuditFilters


class AuditFilterForm(forms.Form):
    who = forms.CharField(
        label=_("利用者"),
        required=False,
        max_length=150,
        help_text=_("利用者名の一部で絞り込めます。"),
    )
    action = forms.ChoiceField(label=_("操作"), required=False)
    outcome = forms.ChoiceField(
        label=_("結果"), required=False, choices=[("", _("すべて")), *Outcome.choices]
    )
    since = forms.DateField(
        label=_("この日から"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("例：2026-04-01"),
    )
    until = forms.DateField(
        label=_("この日まで"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("例：2026-04-30"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action_field = self.fields["action"]
        assert isinstance(action_field, forms.ChoiceField)
        labels = sorted(declared().items(), key=lambda item: str(item[1]))
        action_field.choices = [("", _("すべて")), *((a, str(label)) for a, label in labels)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("終わりの日は始まりの日より後にしてください。"))
        return cleaned

    def filters(self) -> AuditFilters:
        """The valid filters; an invalid one is dropped (and its error shown by the form)."""
        if not self.is_bound or not self.is_valid():
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(
            who=data["who"].strip(),
            action=data["action"],
            outcome=data["outcome"],
            since=data["since"],
            until=data["until"],
        )
