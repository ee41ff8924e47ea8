"""The ``<month:…>`` path converter: ``2025-04`` in URLs, the first day of the month in views."""

from __future__ import annotations

from datetime import date

from django.urls import register_converter


class MonthConverter:
    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> date:
        year, month = value.split("-")
        try:
            return date(int(year), int(month), 1)
        except ValueError as error:  # 2025-13: no such page
            raise ValueError(value) from error

    def to_url(self, value: date | str) -> str:
        return value if isinstance(value, str) else f"{value:%Y-%m}"


def parse_month(text: str | None) -> date | None:
    """``2025-04`` as the first day of the month, or None when absent or malformed."""
    if not text:
        return None
    try:
        return MonthConverter().to_python(text) if len(text) == 7 and text[4] == "-" else None
    except ValueError:
        return None


register_converter(MonthConverter, "month")
