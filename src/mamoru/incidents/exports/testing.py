"""Submissions for tests of the exports (and of the pages and API that serve them).

``submission()`` is a ransomware report of 八王子市 with personal data, every section
written, and a TLP:RED cause shared only with 個人情報保護委員会. ``RED_CAUSE`` is the text
that must never appear in an export for anyone else.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from mamoru.incidents.content import (
    Contact,
    Phase,
    ReportContent,
    SubmissionView,
    Tlp,
    view_for,
)
from mamoru.incidents.routing.codes import SECTIONS
from mamoru.incidents.routing.facts import AffectedService, Category, Segment, Severity
from mamoru.incidents.routing.testing import MUNICIPALITY, jst, leak, make_facts

RED_CAUSE: Final = "VPN装置の管理者パスワードが初期値のままだった（秘匿：TLP:RED）"
AMBER_STRICT_DATA: Final = "住民基本台帳の氏名・住所・生年月日"

SECTION_TEXTS: Final[dict[str, str]] = {
    "overview": "庁内ファイルサーバがランサムウェアに感染し、業務データが暗号化された。",
    "category": "ランサムウェアによる暗号化と脅迫文の表示。",
    "timeline": "11月12日朝、職員が脅迫文に気付いた。",
    "systems": "LGWAN接続系のファイルサーバ1台。",
    "services": "国民健康保険の窓口業務を一時停止。",
    "personal_data": AMBER_STRICT_DATA,
    "cause": RED_CAUSE,
    "secondary_damage": "現時点で二次被害は確認されていない。",
    "actions": "該当サーバをネットワークから切り離し、バックアップから復旧中。",
    "notification": "対象となる本人への通知を準備中。",
    "impact": "窓口で最大2時間の待ち時間が発生。",
    "announcement": "11月13日に市のウェブサイトで公表。",
    "police": "八王子警察署に相談済み。",
    "contractor": "保守委託先が調査に参加。",
    "contact": "情報政策課 山田",
}


def content(**changes: object) -> ReportContent:
    facts = make_facts(
        category=Category.RANSOMWARE,
        personal_data=leak(people=1234, sensitive=True, financial_damage_risk=True),
        severity=Severity.HIGH,
        serious=True,
        police_consulted=True,
        publicly_announced=True,
        contractor_involved=True,
        services=(),
    )
    facts = replace(
        facts,
        timeline=replace(
            facts.timeline, started=jst(2025, 11, 11, 22), contained=jst(2025, 11, 12, 14)
        ),
        services=(
            AffectedService("national_health_insurance", "国民健康保険", segment=Segment.LGWAN),
        ),
    )
    base = ReportContent(
        facts=facts,
        title="庁内ファイルサーバのランサムウェア感染",
        sections=dict(SECTION_TEXTS),
        contact=Contact("山田 太郎", "情報政策課", "042-000-0000", "yamada@example.lg.jp"),
        tlp=Tlp.AMBER,
        section_tlp={"cause": Tlp.RED, "personal_data": Tlp.AMBER_STRICT},
        red_recipients={"cause": ("PPC",)},
    )
    return replace(base, **changes)  # type: ignore[arg-type]  # checked by the dataclass


def submission(
    *, phase: Phase = Phase.PRELIMINARY, version: int = 1, **changes: object
) -> SubmissionView:
    """The reporter's own view (everything, the RED cause included)."""
    return SubmissionView(
        report_id="INC-2025-000123",
        reporter_code=MUNICIPALITY.lg_code,
        reporter_name=MUNICIPALITY.name,
        phase=phase,
        version=version,
        submitted_at=jst(2025, 11, 12, 16, 30),
        content=content(**changes),
        approved_by="CISO 佐藤 花子",
    )


def recipient_view(
    recipient: str = "MIC",
    granted: frozenset[str] = frozenset(SECTIONS),
    *,
    phase: Phase = Phase.PRELIMINARY,
    version: int = 1,
    **changes: object,
) -> SubmissionView:
    """``submission()`` as ``recipient`` sees it; by default granted every section."""
    view = submission(phase=phase, version=version, **changes)
    return view_for(view, recipient=recipient, granted=granted)
