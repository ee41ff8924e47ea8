"""Observed facts that contradict an answer, shown beside it — the extension point for
the attack-surface platform.

Example: an organisation answered 実施 to TEC-18 (perimeter devices patched promptly),
but the national ASM has had a finding open on its VPN appliance for 40 days with a
CVE in CISA's KEV catalogue. The report and the answer pages then show that finding
beside the answer, so the organisation (and its prefecture) can correct one or the other.

No source is registered yet: ``mamoru.asm`` has no findings model or selector at the
time of writing (it is being built in parallel). When it has one, it adds a class
implementing :class:`ContradictionSource` in ``mamoru.assessments`` (assessments sits
above asm in the layers, so it may call asm's selectors) and registers it with
:func:`register` in ``AssessmentsConfig.ready``; the pages need no change.
``ASM_EVIDENCE`` lists the items such a source should check, with what contradicts them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Protocol

from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Principal

# Items whose 実施 an open ASM finding can contradict, and the kind of finding that does.
ASM_EVIDENCE: Final[Mapping[str, str]] = {
    "TEC-05": "管理画面やデータベースがインターネットに公開されている",
    "TEC-06": "メールドメインに SPF・DMARC が設定されていない",
    "TEC-07": "公開している CMS の既知の脆弱性",
    "TEC-12": "リモート接続（RDP、telnet など）がインターネットに公開されている",
    "TEC-18": "境界機器（VPN 装置など）の既知の脆弱性、特に KEV に載ったもの",
    "TEC-19": "公開しているサーバの修正されていない既知の脆弱性",
    "TEC-20": "サポートが終了した製品の公開",
}


@dataclass(frozen=True)
class Contradiction:
    """One observed fact that contradicts the answer to ``item_id``, in plain Japanese,
    with a link to the fact itself (for readers allowed to open it)."""

    item_id: str
    title: str
    detail: str
    url: str = ""


class ContradictionSource(Protocol):
    """Something that knows facts about an organisation (the ASM's open findings)."""

    name: str

    def find(
        self, *, principal: Principal, organisation: Organisation, answers: Mapping[str, str]
    ) -> list[Contradiction]:
        """Facts contradicting ``answers`` (item id → option id), read through the
        source's own gate with ``principal``."""
        ...


_SOURCES: dict[str, ContradictionSource] = {}


def register(source: ContradictionSource) -> ContradictionSource:
    """Add a source (registering the same name again replaces it)."""
    _SOURCES[source.name] = source
    return source


def unregister(name: str) -> None:
    _SOURCES.pop(name, None)


def contradictions_for(
    *, principal: Principal, organisation: Organisation, answers: Mapping[str, str]
) -> dict[str, list[Contradiction]]:
    """Every registered source's contradictions, by item id."""
    found: dict[str, list[Contradiction]] = {}
    for source in _SOURCES.values():
        for fact in source.find(principal=principal, organisation=organisation, answers=answers):
            found.setdefault(fact.item_id, []).append(fact)
    return found
