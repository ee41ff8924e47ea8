"""What the advisories app adds to the shell: the menu, a home panel with the newest
advisories, and "what needs attention" for advisories not answered yet."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamoru.advisories import selectors
from mamoru.advisories.models import Urgency
from mamoru.core.access import Permission
from mamoru.core.navigation import (
    Attention,
    Level,
    NavEntry,
    Panel,
    Section,
    attention_check,
    home_panel,
    nav_entry,
)
from mamoru.orgs import audiences
from mamoru.orgs.principal import Principal

MAX_ENTRIES = 10
PANEL_ROWS = 5


nav_entry(
    NavEntry(
        key="advisories.advisories",
        section=Section.SHARING,
        label=gettext_lazy("注意喚起"),
        url_name="advisories:advisories",
        order=20,
        description=gettext_lazy(
            "攻撃や脆弱性についての国からの注意喚起を読み、影響の有無を回答します。"
        ),
        show=audiences.reads,
    )
)
nav_entry(
    NavEntry(
        key="advisories.shares",
        section=Section.SHARING,
        label=gettext_lazy("情報の共有"),
        url_name="advisories:shares",
        order=22,
        description=gettext_lazy("不審なメールや通信先などの気付きを、都道府県と国に共有します。"),
        show=audiences.local_or_supervisor,
    )
)


def _panel(request: HttpRequest, principal: Principal | None) -> dict[str, Any] | None:
    if not audiences.reads(principal):
        return None
    assert principal is not None
    received = list(selectors.advisories_received(principal=principal)[:PANEL_ROWS])
    return {"deliveries": received} if received else None


home_panel(Panel("advisories.latest", "advisories/panels/latest.html", 20, _panel))


@attention_check
def advisories_unanswered(request: HttpRequest, principal: Principal | None) -> Attention | None:
    if principal is None or not principal.can(Permission.DATA_EDIT):
        return None
    waiting = list(
        selectors.advisories_received(principal=principal).filter(answered_at__isnull=True)[
            :MAX_ENTRIES
        ]
    )
    if not waiting:
        return None
    urgent = any(d.advisory.urgency in {Urgency.IMMEDIATE, Urgency.HIGH} for d in waiting)
    return Attention(
        key="advisories-unanswered",
        level=Level.DANGER if urgent else Level.WARNING,
        title=_("回答していない注意喚起があります（%(count)d件）") % {"count": len(waiting)},
        detail=_(
            "内容を確認し、貴団体への影響（影響あり・影響なし・対応済み）を回答してください。"
        ),
        url=reverse("advisories:advisory", args=[waiting[0].advisory.public_id])
        if len(waiting) == 1
        else reverse("advisories:advisories"),
        action=_("注意喚起を開く"),
        entries=[d.advisory.title for d in waiting],
    )
