"""Input fields that take only their JSON type (DRF would read ``0`` as the text "0"), so
that a body the schema calls invalid is refused."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """Text only; NUL characters (which PostgreSQL cannot store) become U+FFFD."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data.replace("\x00", "\ufffd"))
