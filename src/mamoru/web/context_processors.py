"""The shell's menu, composed from what the apps registered (``core.navigation``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import Promise

from mamoru.core.navigation import NavEntry, Section, navigation_for


@dataclass(frozen=True)
class MenuItem:
    entry: NavEntry
    url: str
    current: str  # aria-current: "page" on the entry's page, "true" below it, else ""


@dataclass(frozen=True)
class MenuGroup:
    """A section of the menu with the entries this principal may use (one entry is shown
    as a plain link: a group of one would only add a click)."""

    section: Section
    items: list[MenuItem]

    @property
    def label(self) -> Promise:
        return self.section.label

    @property
    def current(self) -> bool:
        return any(item.current for item in self.items)


def _current(path: str, url: str) -> str:
    if path == url:
        return "page"
    return "true" if path.startswith(url) else ""


def navigation(request: HttpRequest) -> dict[str, object]:
    principal = getattr(request, "principal", None)
    if principal is None:
        return {"navigation": []}
    items: dict[Section, list[MenuItem]] = {section: [] for section in Section}
    for entry in navigation_for(principal):
        url = entry.url(principal)
        items[entry.section].append(
            MenuItem(entry=entry, url=url, current=_current(request.path, url))
        )
    return {"navigation": [MenuGroup(section, found) for section, found in items.items() if found]}
