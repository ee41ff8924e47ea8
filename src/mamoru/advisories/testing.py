"""Builders for the advisories tests and demo: an advisory's content, published by the
nation's principal to an audience."""

from __future__ import annotations

from mamoru.advisories import services
from mamoru.advisories.content import AdvisoryContent, Source
from mamoru.advisories.models import Advisory
from mamoru.advisories.products import parse_product
from mamoru.orgs.principal import Principal
from mamoru.progress.audience import Audience, AudienceKind


def vpn_content(**changes: object) -> AdvisoryContent:
    """An advisory about an (illustrative) VPN appliance vulnerability."""
    fields: dict[str, object] = {
        "title": "VPN装置の脆弱性を悪用した侵入について",
        "summary": "複数の自治体で使われている**VPN装置**の脆弱性が悪用されています。",
        "actions_first": "1. 装置のバージョンを確認する\n2. 修正版に更新する",
        "actions_later": "ログを確認し、不審な接続がないか調べる。",
        "urgency": "high",
        "importance": "high",
        "tlp": "green",
        "threat": "認証を回避して内部に侵入される。",
        "attacker": "ランサムウェアの攻撃者",
        "purpose": "金銭の要求",
        "background": "保守契約のない装置が狙われている。",
        "expected_damage": "住民情報システムの停止",
        "products": (parse_product("fortinet:fortios >=7.0.0 <7.0.14"),),
        "cves": ("CVE-2024-21762",),
        "sources": (Source("JPCERT/CC", "https://www.jpcert.or.jp/"),),
    }
    fields.update(changes)
    return AdvisoryContent(**fields)  # type: ignore[arg-type]


def publish(principal: Principal, *, codes: tuple[str, ...] = (), **changes: object) -> Advisory:
    """Publish :func:`vpn_content` to ``codes`` (default: every local government)."""
    audience = Audience(AudienceKind.LIST, codes=codes) if codes else Audience(AudienceKind.ALL)
    return services.advisory_publish(
        principal=principal, content=vpn_content(**changes), audience=audience
    )
