"""What each app adds to the shell: menu entries, home-page panels, settings panels, and the
items of "what needs attention".

Apps register in a module their ``AppConfig.ready()`` imports (``<app>/ui/shell.py`` by
convention); the shell (``mamoru.web``) composes the menu, the home page and the settings
page from these registries and never names an app. Each callable gets the request and the
acting principal (``None`` for a signed-in person who acts in no organisation) and
returns ``None`` when it has nothing for them — a capability a role may not use does not
appear, so every link shown leads somewhere the person may go.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy


class Level(enum.StrEnum):
    """How urgent an attention item is; also the modifier of its ``notice`` CSS class."""

    DANGER = "danger"
    WARNING = "warning"
    INFO = "info"


class Section(enum.StrEnum):
    """The groups of the main menu, in the order the menu shows them: with every app, a
    flat menu grows past twenty links, more than a person scans."""

    REPORTS = "reports"
    DIAGNOSIS = "diagnosis"
    SURVEYS = "surveys"
    SHARING = "sharing"
    ORGANISATION = "organisation"

    @property
    def label(self) -> Promise:
        return SECTION_LABELS[self]


SECTION_LABELS: Mapping[Section, Promise] = {
    Section.REPORTS: gettext_lazy("報告と連絡"),
    Section.DIAGNOSIS: gettext_lazy("診断と監視"),
    Section.SURVEYS: gettext_lazy("調査と進捗"),
    Section.SHARING: gettext_lazy("情報共有"),
    Section.ORGANISATION: gettext_lazy("団体と職員"),
}


@dataclass(frozen=True)
class NavEntry:
    """One link of the main menu (and of the home page's list of what one can do)."""

    key: str
    label: str | Promise
    url_name: str
    order: int
    section: Section  # the menu group it belongs to
    description: str | Promise = ""  # one plain sentence for the home page
    # Whether this principal may use it (default: anyone acting in an organisation).
    show: Callable[[Any], bool] = field(default=lambda principal: principal is not None)
    # The URL's arguments for this principal, when the URL takes any.
    kwargs: Callable[[Any], Mapping[str, str]] = field(default=lambda principal: {})

    def url(self, principal: Any) -> str:
        return reverse(self.url_name, kwargs=dict(self.kwargs(principal)) or None)


@dataclass(frozen=True)
class Panel:
    """A section of a composed page: a template and the context it needs, or None."""

    key: str
    template: str
    order: int
    context: Callable[[HttpRequest, Any], Mapping[str, Any] | None]


@dataclass(frozen=True)
class Attention:
    """An item of "what needs attention": says what and links to the thing itself."""

    key: str
    level: Level
    title: str
    detail: str
    url: str = ""  # where to act on it; every item that can be acted on links there
    action: str = ""  # the link's text, e.g. 「承認する」
    entries: Sequence[str] = field(default_factory=tuple)


AttentionCheck = Callable[[HttpRequest, Any], Attention | None]

_NAVIGATION: dict[str, NavEntry] = {}
_HOME: dict[str, Panel] = {}
_SETTINGS: dict[str, Panel] = {}
_ATTENTION: dict[str, AttentionCheck] = {}
_LEVEL_ORDER = {Level.DANGER: 0, Level.WARNING: 1, Level.INFO: 2}


def nav_entry(entry: NavEntry) -> NavEntry:
    """Register a menu entry (registering the same key again replaces it)."""
    _NAVIGATION[entry.key] = entry
    return entry


def home_panel(panel: Panel) -> Panel:
    _HOME[panel.key] = panel
    return panel


def settings_panel(panel: Panel) -> Panel:
    _SETTINGS[panel.key] = panel
    return panel


def attention_check(check: AttentionCheck) -> AttentionCheck:
    """Register ``check`` (a function of request and principal); idempotent."""
    _ATTENTION[f"{check.__module__}.{check.__qualname__}"] = check
    return check


def navigation_for(principal: Any) -> list[NavEntry]:
    return sorted(
        (e for e in _NAVIGATION.values() if e.show(principal)), key=lambda e: (e.order, e.key)
    )


def _panels(registry: Mapping[str, Panel], request: HttpRequest, principal: Any) -> list[str]:
    """Each panel that has something for this principal, rendered with its own context."""
    shown: list[str] = []
    for panel in sorted(registry.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(request, principal)
        if context is not None:
            shown.append(render_to_string(panel.template, dict(context), request=request))
    return shown


def home_panels_for(request: HttpRequest, principal: Any) -> list[str]:
    """The home page's panels, rendered (HTML, safe to output as it is)."""
    return _panels(_HOME, request, principal)


def settings_panels_for(request: HttpRequest, principal: Any) -> list[str]:
    """The account settings page's panels, rendered (HTML, safe to output as it is)."""
    return _panels(_SETTINGS, request, principal)


def attention_for(request: HttpRequest, principal: Any) -> list[Attention]:
    """Every registered check's item, the most urgent first."""
    items = [item for check in _ATTENTION.values() if (item := check(request, principal))]
    return sorted(items, key=lambda item: _LEVEL_ORDER[item.level])
