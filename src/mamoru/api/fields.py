"""Input fields that take only their JSON type: DRF would read ``0`` as the text "0" or
``"yes"`` as true, accepting bodies the schema says are invalid. Every app's API builds its
input serializers from these."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext as _
from rest_framework import serializers

from mamoru.api.exceptions import UnprocessableContent
from mamoru.core.jpcalendar import EARLIEST, LATEST


class StrictCharField(serializers.CharField):
    """Text only, kept as typed (no trimming: " " is valid text to the schema too), with
    NUL characters replaced (U+FFFD) rather than refused: they mean nothing in our texts,
    and PostgreSQL cannot store them. A required text of white space only is well formed
    but says nothing: 422 with the field's name (a 400 is for what the schema refuses)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        if data and not self.allow_blank and not data.strip():
            message = _("空白だけでは入力したことになりません。文字を入力してください。")
            raise UnprocessableContent({str(self.field_name): [message]})
        return super().to_internal_value(data.replace("\x00", "\ufffd"))


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictChoiceField(serializers.ChoiceField):
    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


# RFC 3339 §5.6 allows "t" and "z" in lower case and a 60th second (a leap second): valid
# to the schema's ``date-time`` format, unknown to Python's parser.
_LEAP_SECOND = re.compile(r"(T\d{2}:\d{2}):60")
_YEAR = re.compile(r"\s*([+-]?\d+)-")


def _in_range(field: serializers.Field[Any, Any, Any, Any], text: str) -> None:
    """A year outside 1990–2099 is well formed but a typing mistake (2062 for 2026): 422
    with the field's name, like any content the records refuse, and before Python's parser,
    which knows no year 0."""
    match = _YEAR.match(text)
    if match and not EARLIEST.year <= int(match[1]) < LATEST.year:
        message = _("日付は1990年1月1日から2099年12月31日までで入力してください。")
        raise UnprocessableContent({str(field.field_name): [message]})


class StrictDateTimeField(serializers.DateTimeField):
    """An RFC 3339 date-time as text, in the years 1990–2099. A leap second counts as the
    59th (Python's datetime has no 60th)."""

    def to_internal_value(self, value: Any) -> datetime:
        if not isinstance(value, str):
            self.fail("invalid", format="RFC 3339")
        _in_range(self, value)
        return super().to_internal_value(_LEAP_SECOND.sub(r"\1:59", value.upper()))


class StrictDateField(serializers.DateField):
    """An RFC 3339 full-date as text, in the years 1990–2099."""

    def to_internal_value(self, value: Any) -> date:
        if not isinstance(value, str):
            self.fail("invalid", format="YYYY-MM-DD")
        _in_range(self, value)
        return super().to_internal_value(value)
