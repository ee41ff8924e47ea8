"""What the attack-surface diagnosis adds to the shell: menu entries per role, the home
page's panels, and the items of "what needs attention" — KEV findings, alerts not yet
seen, assets waiting for approval, a prefecture's overdue KEV items — each linking to the
thing itself.

Registered when this module is imported: ``AsmConfig.ready()`` imports it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamoru.asm import selectors
from mamoru.asm.models import ScopeState
from mamoru.asm.selectors import FindingFilters
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


nav_entry(
    NavEntry(
        key="asm.organisation",
        section=Section.DIAGNOSIS,
        label=gettext_lazy("公開機器の診断"),
        url_name="asm:organisation",
        order=20,
        description=gettext_lazy(
            "インターネットに公開している機器やサイトの弱点を見つけ、何をすればよいかを示します。"
        ),
        show=audiences.local_government,
        kwargs=lambda p: {"code": p.organisation.code},
    )
)
nav_entry(
    NavEntry(
        key="asm.prefecture",
        section=Section.DIAGNOSIS,
        label=gettext_lazy("域内の露出状況"),
        url_name="asm:prefecture",
        order=21,
        description=gettext_lazy(
            "域内の市区町村の公開機器の弱点、期限切れの対応、まだ診断していない団体を確認します。"
        ),
        show=audiences.prefecture,
    )
)
nav_entry(
    NavEntry(
        key="asm.nation",
        section=Section.DIAGNOSIS,
        label=gettext_lazy("全国の露出状況"),
        url_name="asm:nation",
        order=21,
        description=gettext_lazy(
            "都道府県ごとの露出、多い脆弱性と製品、全国診断の進み具合を確認します。"
        ),
        show=audiences.nation,
    )
)
nav_entry(
    NavEntry(
        key="asm.alerts",
        section=Section.DIAGNOSIS,
        label=gettext_lazy("露出の警告"),
        url_name="asm:alerts",
        order=22,
        description=gettext_lazy(
            "新たに分かった脆弱性に、貴団体（や域内の団体）の機器が該当したときの知らせです。"
        ),
        show=audiences.local_government,
    )
)


def _own_panel(request: HttpRequest, principal: Principal | None) -> dict[str, Any] | None:
    if not audiences.local_government(principal):
        return None
    assert principal is not None
    organisation = principal.organisation
    return {
        "organisation": organisation,
        "exposure": selectors.organisation_exposure(principal=principal, organisation=organisation),
    }


def _prefecture_panel(request: HttpRequest, principal: Principal | None) -> dict[str, Any] | None:
    if not audiences.prefecture(principal):
        return None
    assert principal is not None
    code = principal.organisation.prefecture_code
    return {"total": selectors.prefecture_total(principal=principal, prefecture_code=code)}


home_panel(Panel("asm.own", "asm/panels/own.html", 20, _own_panel))
home_panel(Panel("asm.prefecture", "asm/panels/prefecture.html", 21, _prefecture_panel))


@attention_check
def asm_kev_findings(request: HttpRequest, principal: Principal | None) -> Attention | None:
    if not audiences.local_government(principal):
        return None
    assert principal is not None
    exposure = selectors.organisation_exposure(
        principal=principal, organisation=principal.organisation
    )
    if exposure is None or not exposure.kev_open:
        return None
    findings = selectors.findings_of(
        principal=principal,
        organisation=principal.organisation,
        filters=FindingFilters(kev=True),
    )
    shown = list(findings[:MAX_ENTRIES])
    if not shown:
        return None
    code = principal.organisation.code
    return Attention(
        key="asm-kev-findings",
        level=Level.DANGER,
        title=_("KEVに該当する機器があります（%(count)d件）") % {"count": exposure.kev_open},
        detail=_(
            "実際の攻撃に使われている脆弱性です。すぐに更新するか、インターネットからの接続を止めてください。"
        ),
        url=reverse("asm:finding", args=[shown[0].pk])
        if len(shown) == 1
        else reverse("asm:findings", args=[code]) + "?kev=on",
        action=_("検出結果を開く"),
        entries=[f"{f.title}（{f.where}）" for f in shown],
    )


@attention_check
def asm_unread_alerts(request: HttpRequest, principal: Principal | None) -> Attention | None:
    if principal is None:
        return None
    unread = list(selectors.notices_of(principal=principal, unread=True)[:MAX_ENTRIES])
    if not unread:
        return None
    return Attention(
        key="asm-unread-alerts",
        level=Level.DANGER,
        title=_("確認していない露出の警告があります（%(count)d件）") % {"count": len(unread)},
        detail=_("該当する機器と、最初にすべきことを確認してください。"),
        url=reverse("asm:alert", args=[unread[0].alert_id])
        if len(unread) == 1
        else reverse("asm:alerts"),
        action=_("警告を開く"),
        entries=[f"{n.alert.organisation.name}: {n.alert.title}" for n in unread],
    )


@attention_check
def asm_assets_waiting(request: HttpRequest, principal: Principal | None) -> Attention | None:
    if not audiences.local_government(principal):
        return None
    assert principal is not None
    if not principal.can(Permission.DATA_EDIT):
        return None
    waiting = selectors.assets_of(principal=principal, organisation=principal.organisation).filter(
        scope_state=ScopeState.PROPOSED
    )
    count = waiting.count()
    if not count:
        return None
    return Attention(
        key="asm-assets-waiting",
        level=Level.WARNING,
        title=_("診断の承認を待っている資産があります（%(count)d件）") % {"count": count},
        detail=_("貴団体のものか確かめてから承認してください。承認した資産だけを診断します。"),
        url=reverse("asm:assets", args=[principal.organisation.code]),
        action=_("資産を確認する"),
        entries=[a.value for a in waiting[:MAX_ENTRIES]],
    )


@attention_check
def asm_prefecture_overdue(request: HttpRequest, principal: Principal | None) -> Attention | None:
    if not audiences.prefecture(principal):
        return None
    assert principal is not None
    total = selectors.prefecture_total(
        principal=principal, prefecture_code=principal.organisation.prefecture_code
    )
    if total is None or not total.kev_overdue:
        return None
    return Attention(
        key="asm-prefecture-overdue",
        level=Level.WARNING,
        title=_("域内に、対応期限を過ぎた KEV の検出結果があります（%(count)d件）")
        % {"count": total.kev_overdue},
        detail=_("該当する市区町村に連絡し、更新か接続の停止を支援してください。"),
        url=reverse("asm:overdue"),
        action=_("期限切れの一覧を開く"),
    )
