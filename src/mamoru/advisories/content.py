"""What an advisory says, checked before it is kept (from the form, the API or a STIX
bundle): the threat, who attacks and why, how urgent and important, the damage to expect,
what to do first and later, the affected products and CVEs, and the sources."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from django.utils.translation import gettext as _

from mamoru.advisories.models import Importance, Tlp, Urgency
from mamoru.advisories.products import AffectedProduct

CVE: Final = re.compile(r"^CVE-\d{4}-\d{4,}$")
# TLP 2.0: AMBER+STRICT stays inside the recipient organisation and RED with named people;
# neither may be passed on to every municipality as an advisory.
PUBLISHABLE_TLP: Final = frozenset({Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER})
LIMITS: Final = {
    "title": 200,
    "summary": 20000,
    "threat": 4000,
    "attacker": 2000,
    "purpose": 2000,
    "background": 4000,
    "expected_damage": 4000,
    "actions_first": 10000,
    "actions_later": 10000,
}


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    url: str = ""


@dataclass(frozen=True)
class AdvisoryContent:
    title: str
    summary: str
    actions_first: str
    urgency: str = Urgency.MEDIUM
    importance: str = Importance.MEDIUM
    tlp: str = Tlp.GREEN
    threat: str = ""
    attacker: str = ""
    purpose: str = ""
    background: str = ""
    expected_damage: str = ""
    actions_later: str = ""
    products: tuple[AffectedProduct, ...] = ()
    cves: tuple[str, ...] = ()
    sources: tuple[Source, ...] = field(default_factory=tuple)

    def errors(self) -> dict[str, list[str]]:
        """Every problem, by field, in Japanese (empty when the content can be kept)."""
        found: dict[str, list[str]] = {}
        for name in ("title", "summary", "actions_first"):
            if not getattr(self, name).strip():
                found[name] = [_("入力してください。")]
        for name, limit in LIMITS.items():
            if len(getattr(self, name)) > limit:
                found[name] = [_("%(limit)d文字以内で入力してください。") % {"limit": limit}]
        if self.urgency not in Urgency.values:
            found["urgency"] = [_("緊急度を選んでください。")]
        if self.importance not in Importance.values:
            found["importance"] = [_("重要度を選んでください。")]
        if self.tlp not in PUBLISHABLE_TLP:
            found["tlp"] = [
                _("注意喚起として配信できるのは TLP:CLEAR、TLP:GREEN、TLP:AMBER です。")
            ]
        wrong = [c for c in self.cves if not CVE.match(c)]
        if wrong:
            found["cves"] = [_("CVE番号は CVE-2024-12345 の形です: %s") % "、".join(wrong)]
        bad_urls = [
            s.url for s in self.sources if s.url and not s.url.startswith(("https://", "http://"))
        ]
        if bad_urls:
            found["sources"] = [
                _("情報源のURLは https:// で始めてください: %s") % "、".join(bad_urls)
            ]
        return found


def parse_sources(text: str) -> list[Source]:
    """One source per line: ``名前 https://…`` (the URL is optional)."""
    sources = []
    for line in text.splitlines():
        parts = line.strip().rsplit(maxsplit=1)
        if not parts:
            continue
        if len(parts) == 2 and parts[1].startswith(("https://", "http://")):
            sources.append(Source(parts[0], parts[1]))
        elif parts[-1].startswith(("https://", "http://")):
            sources.append(Source(parts[-1], parts[-1]))
        else:
            sources.append(Source(line.strip()))
    return sources


def parse_cves(text: str) -> list[str]:
    return list(dict.fromkeys(t.upper() for t in re.split(r"[\s,、]+", text) if t))
