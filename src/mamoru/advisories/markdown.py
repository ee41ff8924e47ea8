"""The Markdown fields of an advisory, rendered safely (``mamoru.progress.markdown``)."""

from __future__ import annotations

from django.utils.safestring import SafeString

from mamoru.advisories.models import Advisory
from mamoru.progress.markdown import render_markdown

MARKDOWN_FIELDS = ("summary", "actions_first", "actions_later")


def render_fields(advisory: Advisory) -> dict[str, SafeString]:
    return {name: render_markdown(getattr(advisory, name)) for name in MARKDOWN_FIELDS}
