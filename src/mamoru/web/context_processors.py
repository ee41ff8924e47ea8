"""The shell's menu, composed from what the apps registered (``core.navigation``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from mamoru.core.navigation import NavEntry, navigation_for


@dataclass(frozen=True)
class MenuItem:
    entry: NavEntry
    url: str
    current: str  # aria-current: "page" on the entry's page, "true" below it, else ""


def _current(path: str, url: str) -> str:
    if path == url:
        return "page"
    return "true" if path.startswith(url) else ""


def navigation(request: HttpRequest) -> dict[str, object]:
    principal = getattr(request, "principal", None)
    if principal is None:
        return {"navigation": []}
    items = []
    for entry in navigation_for(principal):
        url = entry.url(principal)
        items.append(MenuItem(entry=entry, url=url, current=_current(request.path, url)))
    return {"navigation": items}
