"""The attack-surface diagnosis as a source of contradictions (``contradictions.py``): an
organisation that answered 実施 to an item while the national ASM has an open finding that
says otherwise sees the finding beside its answer, as does its prefecture.

Which finding contradicts which item (``contradictions.ASM_EVIDENCE`` says it in words):

* a configuration finding contradicts its item at once (the answer describes a state):
  an exposed management screen or database (TEC-05), a missing or permissive SPF/DMARC
  (TEC-06), remote desktop, telnet or SMB reachable from the internet (TEC-12; remote
  desktop and telnet also TEC-10, as no multi-factor sign-in stands in front of them);
* a known vulnerability contradicts "patched promptly": on a VPN appliance, TEC-18; on a
  CMS, TEC-07; on another server, TEC-19. One in CISA's KEV catalogue does so as soon as
  it is open (the item says exploited ones come first); another once it has been open for
  ``PATCH_DAYS`` (a month: a monthly patch cycle would have applied it).

Findings are read with the reader's principal through asm's own selector, so the gate
decides (the organisation, its prefecture, the nation) and the read is audited. A finding
marked fixed and waiting for its verification scan, or whose risk was accepted, is not
held against the answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Final

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mamoru.asm.models import Finding, FindingStatus
from mamoru.asm.selectors import findings_of
from mamoru.asm.vulnerabilities import KNOWN, KNOWN_EXPLOITED
from mamoru.assessments.contradictions import ASM_EVIDENCE, Contradiction
from mamoru.orgs.models import Organisation
from mamoru.orgs.principal import Principal

IMPLEMENTED: Final = "implemented"
PATCH_DAYS: Final = 30
SHOWN_PER_ITEM: Final = 5
READ_AT_MOST: Final = 500  # the most urgent first; more would not change what is shown

CONFIGURATION: Final[Mapping[str, tuple[str, ...]]] = {
    "exposed-admin-panel": ("TEC-05",),
    "exposed-database": ("TEC-05",),
    "exposed-database-no-auth": ("TEC-05",),
    "exposed-cache-no-auth": ("TEC-05",),
    "spf-missing": ("TEC-06",),
    "spf-permissive": ("TEC-06",),
    "spf-multiple-records": ("TEC-06",),
    "spf-too-many-lookups": ("TEC-06",),
    "dmarc-missing": ("TEC-06",),
    "dmarc-none": ("TEC-06",),
    "exposed-remote-desktop": ("TEC-10", "TEC-12"),
    "cleartext-remote-login": ("TEC-10", "TEC-12"),
    "exposed-smb": ("TEC-12",),
}
# Product names (the half after "vendor:") of content management systems.
CMS_PRODUCTS: Final = frozenset(
    {"wordpress", "drupal", "joomla", "joomla!", "movable_type", "basercms", "concrete_cms"}
)


def _vulnerability_item(finding: Finding) -> str:
    service = finding.service
    if service is not None and (service.extra or {}).get("vpn") == "true":
        return "TEC-18"
    product = str((finding.details or {}).get("product", "")).split(":", 1)[-1]
    return "TEC-07" if product in CMS_PRODUCTS else "TEC-19"


def items_contradicted(finding: Finding, now: datetime) -> tuple[str, ...]:
    """The items whose 実施 ``finding`` contradicts (none when it does not yet)."""
    if finding.kind in CONFIGURATION:
        return CONFIGURATION[finding.kind]
    if finding.kind not in (KNOWN, KNOWN_EXPLOITED):
        return ()
    if finding.kev or now - finding.first_seen >= timedelta(days=PATCH_DAYS):
        return (_vulnerability_item(finding),)
    return ()


def _title(finding: Finding, days: int) -> str:
    what = finding.vulnerability_id or finding.title
    where = finding.product or finding.where
    if finding.kev:
        return _("%(where)s に KEV の脆弱性 %(what)s が%(days)s日間未対応です") % {
            "where": where,
            "what": what,
            "days": days,
        }
    if finding.vulnerability_id:
        return _("%(where)s に既知の脆弱性 %(what)s が%(days)s日間未対応です") % {
            "where": where,
            "what": what,
            "days": days,
        }
    return _("%(title)s（%(where)s）") % {"title": finding.title, "where": finding.where}


def _contradiction(item: str, finding: Finding, now: datetime) -> Contradiction:
    days = max((now - finding.first_seen).days, 0)
    return Contradiction(
        item_id=item,
        title=_title(finding, days),
        detail=_(
            "「実施」と回答していますが、外部からの診断（攻撃対象領域の診断）で、"
            "この回答と合わない検出結果が未対応のままです。回答か機器の状態のどちらかを"
            "確認してください。"
        ),
        url=reverse("asm:finding", args=[finding.pk]),
    )


class AsmFindings:
    """Open attack-surface findings held against the answers they contradict."""

    name = "asm"

    def find(
        self, *, principal: Principal, organisation: Organisation, answers: Mapping[str, str]
    ) -> list[Contradiction]:
        """The organisation's open findings contradicting an item answered 実施."""
        answered = {i for i, option in answers.items() if option == IMPLEMENTED}
        if not answered & set(ASM_EVIDENCE):
            return []
        rows = (
            findings_of(principal=principal, organisation=organisation)
            .filter(status__in=(FindingStatus.OPEN, FindingStatus.ACKNOWLEDGED))
            .select_related("service")
        )
        now = timezone.now()
        found: list[Contradiction] = []
        shown: dict[str, int] = {}
        for finding in rows[:READ_AT_MOST]:
            for item in items_contradicted(finding, now):
                if item in answered and shown.get(item, 0) < SHOWN_PER_ITEM:
                    shown[item] = shown.get(item, 0) + 1
                    found.append(_contradiction(item, finding, now))
        return found
