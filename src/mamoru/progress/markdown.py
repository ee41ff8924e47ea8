"""Markdown that people type (notice bodies, answers, advisories) rendered safely.

markdown-it-py (CommonMark) with raw HTML turned off: ``<script>`` or ``<img onerror>``
typed into a notice is shown as text, never run. Its link validation refuses
``javascript:``, ``vbscript:``, ``file:`` and ``data:`` links. Images are turned off too: a
remote image would be fetched from outside LGWAN by every reader (and would tell its
owner who read the notice). Headings move down two levels, so a ``#`` in a body becomes
an ``<h3>`` under the page's own ``<h1>``/``<h2>`` (WCAG 1.3.1). Links open normally but
carry ``rel="noopener noreferrer"``.
"""

from __future__ import annotations

import functools
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

HEADING_SHIFT = 2


def _heading_open(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    level = min(6, int(token.tag[1]) + HEADING_SHIFT)
    token.tag = f"h{level}"
    if idx + 2 < len(tokens) and tokens[idx + 2].type == "heading_close":
        tokens[idx + 2].tag = token.tag
    rendered: str = self.renderToken(tokens, idx, options, env)
    return rendered


def _link_open(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    tokens[idx].attrSet("rel", "noopener noreferrer")
    rendered: str = self.renderToken(tokens, idx, options, env)
    return rendered


@functools.cache
def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.disable("image")
    md.add_render_rule("heading_open", _heading_open)
    md.add_render_rule("link_open", _link_open)
    return md


def render_markdown(text: str) -> SafeString:
    """``text`` (Markdown) as HTML that is safe to place in a page."""
    html: str = _renderer().render(text or "")
    return mark_safe(html)  # noqa: S308 - raw HTML is off: markdown-it escapes every tag typed
